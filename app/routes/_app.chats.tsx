// The messenger: the conversation list beside the open conversation on wide screens; on phones
// they are separate screens (the list at /chats, a conversation at /chats/:id).
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Outlet, useParams } from '@remix-run/react'
import { ConversationList } from '#app/components/messenger/conversation-list.tsx'
import { useChatViewer } from '#app/messenger/use-chat-viewer.ts'
import { requireMember } from '#app/utils/auth.server.ts'
import { cn } from '#app/utils/cn.ts'

export const meta: MetaFunction = () => [{ title: 'Vstrecha' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireMember(request, context)
  // The composer refuses bigger files before uploading them.
  return { attachmentMaxBytes: context.app.env.ATTACHMENT_MAX_BYTES }
}

export default function Chats() {
  const { id } = useParams()
  const viewer = useChatViewer()
  return (
    <div className="flex min-h-0 flex-1 border-t md:border-t-0">
      <ConversationList
        myUserId={viewer.userId}
        language={viewer.language}
        timeZone={viewer.timeZone}
        className={cn('w-full', id ? 'hidden md:flex' : 'flex')}
      />
      <div className={cn('min-h-0 min-w-0 flex-1 flex-col', id ? 'flex' : 'hidden md:flex')}>
        <Outlet />
      </div>
    </div>
  )
}
