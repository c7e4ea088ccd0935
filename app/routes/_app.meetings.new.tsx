import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { ArrowLeft } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { Button } from '#app/components/ui/button.tsx'
import { Card, CardContent, CardHeader, CardTitle } from '#app/components/ui/card.tsx'
import { DateTimePicker } from '#app/components/ui/date-time-picker.tsx'
import { Field, FormErrors } from '#app/components/ui/field.tsx'
import { Label } from '#app/components/ui/label.tsx'
import { RadioGroup } from '#app/components/ui/radio-group.tsx'
import { NativeSelect } from '#app/components/ui/select.tsx'
import { Switch } from '#app/components/ui/switch.tsx'
import { requireMember } from '#app/utils/auth.server.ts'
import { useErrorText } from '#app/utils/forms.ts'
import { TimeZoneSchema } from '#app/utils/preferences.ts'
import { getRequestTimeZone } from '#app/utils/preferences.server.ts'
import { zonedLocalToUtc, utcToZonedLocal } from '#core/time.ts'
import { createScheduledMeeting } from '#app/utils/services.server.ts'

const DURATIONS = [15, 30, 45, 60, 90, 120, 180, 240]

const ScheduleSchema = z
  .object({
    title: z
      .string({ error: 'validation.required' })
      .trim()
      .min(1, { error: 'validation.required' })
      .max(200, { error: 'validation.tooLong' }),
    start: z
      .string({ error: 'validation.required' })
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { error: 'validation.invalid' }),
    durationMinutes: z
      .number({ error: 'validation.required' })
      .int()
      .min(5, { error: 'validation.invalid' })
      .max(24 * 60, { error: 'validation.invalid' }),
    timeZone: TimeZoneSchema,
    access: z.enum(['closed', 'open'], { error: 'validation.invalid' }).default('closed'),
    lobbyEnabled: z.boolean().default(false),
    kind: z.enum(['meeting', 'webinar'], { error: 'validation.invalid' }).default('meeting'),
  })
  .superRefine((value, ctx) => {
    // A minute of slack so "now" picked in the form is still accepted on submit.
    if (zonedLocalToUtc(value.start, value.timeZone).getTime() < Date.now() - 60_000) {
      ctx.addIssue({ code: 'custom', path: ['start'], message: 'meetings:form.inThePast' })
    }
  })

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireMember(request, context)
  const timeZone = getRequestTimeZone(request)
  // Default: the next full hour.
  const nextHour = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000)
  return {
    timeZone,
    defaultStart: utcToZonedLocal(nextHour, timeZone),
    timeZones: Intl.supportedValuesOf('timeZone'),
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireMember(request, context)
  const submission = parseWithZod(await request.formData(), { schema: ScheduleSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const meeting = await createScheduledMeeting({
    db: context.app.db,
    organizer: {
      userId: viewer.user.id,
      name: viewer.user.name,
      organizationId: viewer.membership.organization.id,
    },
    input: submission.value,
    ip: context.clientIp,
  })
  context.log.info({ userId: viewer.user.id, meetingId: meeting.id }, 'meeting scheduled')
  throw redirect(`/meetings/${meeting.id}`)
}

export default function NewMeetingPage() {
  const { t } = useTranslation('meetings')
  const errorText = useErrorText()
  const { timeZone, defaultStart, timeZones } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'schedule',
    lastResult: actionData?.result,
    defaultValue: {
      start: defaultStart,
      durationMinutes: '60',
      timeZone,
      access: 'closed',
      kind: 'meeting',
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ScheduleSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  const selectedZone = fields.timeZone.value ?? timeZone

  return (
    <div className="mx-auto grid w-full max-w-2xl gap-4">
      <Link
        to="/meetings"
        className="flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
      >
        <ArrowLeft className="size-4" aria-hidden="true" />
        {t('detail.back')}
      </Link>
      <Card>
        <CardHeader>
          <CardTitle asChild>
            <h1>{t('form.title')}</h1>
          </CardTitle>
        </CardHeader>
        <CardContent>
          <Form method="post" className="grid gap-5" {...getFormProps(form)}>
            <FormErrors id={form.errorId} errors={errorText(form.errors)} />
            <Field
              label={t('form.name')}
              inputProps={{ ...getInputProps(fields.title, { type: 'text' }), autoFocus: true }}
              errors={errorText(fields.title.errors)}
            />
            <div className="grid gap-5 sm:grid-cols-2">
              <Field label={t('form.start')} errors={errorText(fields.start.errors)}>
                <DateTimePicker
                  name={fields.start.name}
                  defaultValue={fields.start.initialValue}
                  timeZone={selectedZone}
                />
              </Field>
              <Field label={t('form.duration')} errors={errorText(fields.durationMinutes.errors)}>
                <NativeSelect
                  name={fields.durationMinutes.name}
                  defaultValue={fields.durationMinutes.initialValue}
                >
                  {DURATIONS.map((minutes) => (
                    <option key={minutes} value={minutes}>
                      {minutes < 60 || minutes % 60
                        ? t('form.minutes', { count: minutes })
                        : t('form.hours', { count: minutes / 60 })}
                    </option>
                  ))}
                </NativeSelect>
              </Field>
            </div>
            <Field label={t('form.timeZone')} errors={errorText(fields.timeZone.errors)}>
              <NativeSelect name={fields.timeZone.name} defaultValue={fields.timeZone.initialValue}>
                {timeZones.map((zone) => (
                  <option key={zone} value={zone}>
                    {zone.replaceAll('_', ' ')}
                  </option>
                ))}
              </NativeSelect>
            </Field>
            <RadioGroup
              legend={t('access.label')}
              name={fields.access.name}
              defaultValue={fields.access.initialValue}
              options={(['closed', 'open'] as const).map((value) => ({
                value,
                label: t(`access.${value}`),
              }))}
            />
            <div className="flex items-center justify-between gap-4">
              <div>
                <Label htmlFor="lobbyEnabled">{t('lobby.label')}</Label>
                <p className="text-sm text-muted-foreground">{t('lobby.description')}</p>
              </div>
              <Switch id="lobbyEnabled" name={fields.lobbyEnabled.name} value="on" />
            </div>
            <RadioGroup
              legend={t('kind.label')}
              name={fields.kind.name}
              defaultValue={fields.kind.initialValue}
              options={(['meeting', 'webinar'] as const).map((value) => ({
                value,
                label: t(`kind.${value}`),
              }))}
              isInline
            />
            <Button
              type="submit"
              disabled={navigation.state === 'submitting'}
              className="justify-self-start"
            >
              {t('form.submit')}
            </Button>
          </Form>
        </CardContent>
      </Card>
    </div>
  )
}
