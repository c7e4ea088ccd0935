import { Form, useNavigation } from '@remix-run/react'
import { Video } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Button } from '#app/components/ui/button.tsx'

/** One click: the meeting is created and its page opens with the link copied (see CopyLinkOnArrival). */
export function InstantMeetingButton() {
  const { t } = useTranslation('meetings')
  const navigation = useNavigation()
  const isCreating = navigation.state !== 'idle' && navigation.formData?.get('intent') === 'instant'
  return (
    <Form method="post" action="/meetings?index">
      <Button
        type="submit"
        name="intent"
        value="instant"
        disabled={isCreating}
        className="w-full sm:w-auto"
      >
        <Video />
        {t('instant')}
      </Button>
    </Form>
  )
}
