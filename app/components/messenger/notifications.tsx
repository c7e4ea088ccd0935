// New messages elsewhere: a toast while the tab is visible, a browser notification while it is
// hidden (only if the person allowed them from the button in the chat list), and the unread
// badge on the navigation's Chats item.
import { useNavigate } from '@remix-run/react'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from '#app/components/ui/toast.tsx'
import { toPlainText } from '#app/messenger/markdown.ts'
import { useMessengerClient, useMessengerState } from '#app/messenger/messenger-context.tsx'
import { totalUnread } from '#app/messenger/state.ts'

const EXCERPT_CHARS = 140

export function MessengerNotifications() {
  const { t } = useTranslation('messenger')
  const client = useMessengerClient()
  const navigate = useNavigate()
  useEffect(() => {
    if (!client) return
    return client.onNotice(({ message, isMention, conversationTitle }) => {
      const title = isMention
        ? t('notifications.mention', { name: message.sender.name, conversation: conversationTitle })
        : message.sender.name === conversationTitle
          ? message.sender.name
          : t('notifications.message', {
              name: message.sender.name,
              conversation: conversationTitle,
            })
      const body = message.deletedAt
        ? t('message.deleted')
        : toPlainText(message.body).slice(0, EXCERPT_CHARS) ||
          (message.forwardedFrom ? t('message.forwarding') : '')
      if (document.visibilityState === 'visible') {
        toast({ id: `messenger:${message.conversationId}`, title, description: body })
        return
      }
      if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
        const notification = new Notification(title, { body, tag: message.conversationId })
        notification.onclick = () => {
          window.focus()
          navigate(`/chats/${message.conversationId}`)
          notification.close()
        }
      }
    })
  }, [client, navigate, t])
  return null
}

export function UnreadBadge({ className }: { className?: string }) {
  const { t } = useTranslation('messenger')
  const count = useMessengerState(totalUnread)
  if (!count) return null
  return (
    <span className={className} data-testid="nav-unread" aria-label={t('list.unread', { count })}>
      {count > 99 ? '99+' : count}
    </span>
  )
}
