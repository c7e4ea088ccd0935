import { MessagesSquare } from 'lucide-react'
import { useTranslation } from 'react-i18next'

export default function ChatsIndex() {
  const { t } = useTranslation('messenger')
  return (
    <div className="flex flex-1 flex-col items-center justify-center gap-3 p-6 text-center text-muted-foreground">
      <MessagesSquare className="size-10" aria-hidden />
      <p>{t('view.pick')}</p>
    </div>
  )
}
