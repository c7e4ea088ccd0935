import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { authCookies } from '#app/utils/auth.server.ts'

export async function action({ request, context }: ActionFunctionArgs) {
  const response = await context.app.auth.api.signOut({
    headers: request.headers,
    asResponse: true,
  })
  return redirect('/login', { headers: authCookies(response) })
}

export function loader() {
  return redirect('/')
}
