import { useParams } from '@remix-run/react'
import { ConversationView } from '#app/components/messenger/conversation-view.tsx'
import { useChatViewer } from '#app/messenger/use-chat-viewer.ts'

export default function ChatConversation() {
  const { id = '' } = useParams()
  const viewer = useChatViewer()
  return (
    <ConversationView
      key={id}
      conversationId={id}
      myUserId={viewer.userId}
      language={viewer.language}
      timeZone={viewer.timeZone}
      attachmentMaxBytes={viewer.attachmentMaxBytes}
    />
  )
}
