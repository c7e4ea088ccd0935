import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { getViewer } from '#app/utils/auth.server.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await getViewer(request, context)
  throw redirect(viewer && !viewer.user.isAnonymous ? '/meetings' : '/login')
}
