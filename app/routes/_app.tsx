// The signed-in employee's shell: sidebar on desktop, bottom navigation on phones.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, NavLink, Outlet, useLoaderData, useLocation } from '@remix-run/react'
import {
  Building2,
  CalendarDays,
  LogOut,
  MessagesSquare,
  Settings,
  Video,
  type LucideIcon,
} from 'lucide-react'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { LanguageSwitcher } from '#app/components/language-switcher.tsx'
import { MessengerNotifications, UnreadBadge } from '#app/components/messenger/notifications.tsx'
import { Logo } from '#app/components/logo.tsx'
import { Avatar } from '#app/components/ui/avatar.tsx'
import { MessengerProvider } from '#app/messenger/messenger-context.tsx'
import { requireMember } from '#app/utils/auth.server.ts'
import { cn } from '#app/utils/cn.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requireMember(request, context)
  return {
    user: { id: viewer.user.id, name: viewer.user.name, email: viewer.user.email },
    isOrgAdmin: viewer.isOrgAdmin,
  }
}

type NavItem = { to: string; label: string; icon: LucideIcon }

/** The same links in the sidebar and the bottom bar, each place with its own look. */
function NavLinks({
  items,
  className,
  children,
}: {
  items: NavItem[]
  className: (isActive: boolean) => string
  children: (item: NavItem) => ReactNode
}) {
  return items.map((item) => (
    <NavLink key={item.to} to={item.to} className={({ isActive }) => className(isActive)}>
      {children(item)}
    </NavLink>
  ))
}

export default function AppShell() {
  const { t } = useTranslation()
  const { user, isOrgAdmin } = useLoaderData<typeof loader>()
  // The messenger fills the screen between the header and the bottom navigation.
  const isFullHeight = useLocation().pathname.startsWith('/chats')
  const items: NavItem[] = [
    { to: '/chats', label: t('nav.chats'), icon: MessagesSquare },
    { to: '/meetings', label: t('nav.meetings'), icon: Video },
    { to: '/calendar', label: t('nav.calendar'), icon: CalendarDays },
    ...(isOrgAdmin ? [{ to: '/organization', label: t('nav.organization'), icon: Building2 }] : []),
    { to: '/settings', label: t('nav.settings'), icon: Settings },
  ]
  return (
    <MessengerProvider userId={user.id}>
      <MessengerNotifications />
      <div className="flex min-h-dvh">
        <aside className="sticky top-0 hidden h-dvh w-60 shrink-0 flex-col gap-6 border-e bg-card p-4 md:flex">
          <Logo />
          <nav aria-label={t('nav.mainNavigation')} className="grid gap-1">
            <NavLinks
              items={items}
              className={(isActive) =>
                cn(
                  'flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium',
                  isActive
                    ? 'bg-accent text-accent-foreground'
                    : 'text-muted-foreground hover:bg-accent/60 hover:text-foreground',
                )
              }
            >
              {(item) => (
                <>
                  <item.icon className="size-4" aria-hidden="true" />
                  {item.label}
                  {item.to === '/chats' ? (
                    <UnreadBadge className="ms-auto rounded-full bg-primary px-1.5 text-xs text-primary-foreground" />
                  ) : null}
                </>
              )}
            </NavLinks>
          </nav>
          <div className="mt-auto grid gap-3">
            <div className="flex items-center gap-3">
              <Avatar name={user.name} colorKey={user.id} size="sm" isDecorative />
              <div className="min-w-0 text-sm">
                <p className="truncate font-medium">{user.name}</p>
                <p className="truncate text-muted-foreground">{user.email}</p>
              </div>
            </div>
            <LanguageSwitcher />
            <Form method="post" action="/logout">
              <button
                type="submit"
                className="flex items-center gap-2 text-sm text-muted-foreground hover:text-foreground"
              >
                <LogOut className="size-4" aria-hidden="true" />
                {t('nav.signOut')}
              </button>
            </Form>
          </div>
        </aside>
        <div className={cn('flex min-w-0 flex-1 flex-col', isFullHeight && 'h-dvh')}>
          <header className="sticky top-0 z-10 flex items-center justify-between border-b bg-background/90 px-4 py-3 backdrop-blur md:hidden">
            <Logo />
            <Avatar name={user.name} colorKey={user.id} size="sm" isDecorative />
          </header>
          <main
            className={cn(
              isFullHeight
                ? 'flex min-h-0 w-full flex-1 flex-col pb-[calc(3.5rem+1px+env(safe-area-inset-bottom))] md:pb-0'
                : 'mx-auto w-full max-w-6xl flex-1 px-4 pt-6 pb-24 md:px-8 md:pb-10',
            )}
          >
            <Outlet />
          </main>
        </div>
        <nav
          aria-label={t('nav.mainNavigation')}
          className="fixed inset-x-0 bottom-0 z-20 grid border-t bg-card pb-[env(safe-area-inset-bottom)] md:hidden"
          style={{ gridTemplateColumns: `repeat(${items.length}, minmax(0, 1fr))` }}
        >
          <NavLinks
            items={items}
            className={(isActive) =>
              cn(
                'flex flex-col items-center gap-1 py-2 text-xs',
                isActive ? 'text-primary' : 'text-muted-foreground',
              )
            }
          >
            {(item) => (
              <>
                <span className="relative">
                  <item.icon className="size-5" aria-hidden="true" />
                  {item.to === '/chats' ? (
                    <UnreadBadge className="absolute -end-2.5 -top-1.5 rounded-full bg-primary px-1 text-[0.625rem] leading-4 text-primary-foreground" />
                  ) : null}
                </span>
                {item.label}
              </>
            )}
          </NavLinks>
        </nav>
      </div>
    </MessengerProvider>
  )
}
