import { useFetcher, useNavigate } from '@remix-run/react'
import { Video } from 'lucide-react'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from '#app/components/ui/button.tsx'
import { copyToClipboard } from './copy-link.tsx'

type InstantMeetingResult = { instantMeeting?: { id: string; url: string } }

/** One click: the meeting is created, its link copied, and the meeting page opened. */
export function InstantMeetingButton() {
  const { t } = useTranslation('meetings')
  const fetcher = useFetcher<InstantMeetingResult>()
  const navigate = useNavigate()
  const created = fetcher.data?.instantMeeting
  useEffect(() => {
    if (!created) return
    void copyToClipboard(created.url, { copied: t('copied', { ns: 'common' }), failed: t('instantCreated') })
    navigate(`/meetings/${created.id}`)
  }, [created, navigate, t])
  return (
    <fetcher.Form method="post" action="/meetings">
      <Button type="submit" name="intent" value="instant" disabled={fetcher.state !== 'idle'} className="w-full sm:w-auto">
        <Video />
        {t('instant')}
      </Button>
    </fetcher.Form>
  )
}
