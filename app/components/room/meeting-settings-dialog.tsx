// Live meeting settings for the organizer and co-hosts: each switch applies at once, for everyone.
import { Settings } from 'lucide-react'
import { useId, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from '#app/components/ui/button.tsx'
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '#app/components/ui/dialog.tsx'
import { Switch } from '#app/components/ui/switch.tsx'
import type { MeetingSettings } from '#core/protocol/meeting-control.ts'

type SettingsDialogProps = {
  settings: MeetingSettings
  /** Rejects when the server refuses; the dialog then shows the old value again. */
  onChange: (patch: Partial<MeetingSettings>) => Promise<void>
  triggerClassName?: string
}

export function MeetingSettingsDialog({
  settings,
  onChange,
  triggerClassName,
}: SettingsDialogProps) {
  const { t } = useTranslation('meetings')
  const [pending, setPending] = useState<keyof MeetingSettings | null>(null)
  const change = (patch: Partial<MeetingSettings>) => {
    setPending(Object.keys(patch)[0] as keyof MeetingSettings)
    void onChange(patch)
      .catch(() => {})
      .finally(() => setPending(null))
  }
  const policyName = useId()
  return (
    <Dialog>
      <DialogTrigger asChild>
        <Button
          type="button"
          variant="ghost"
          size="icon"
          data-testid="meeting-settings"
          className={triggerClassName}
          aria-label={t('control.settings')}
          title={t('control.settings')}
        >
          <Settings aria-hidden />
        </Button>
      </DialogTrigger>
      <DialogContent data-testid="meeting-settings-dialog">
        <DialogHeader>
          <DialogTitle>{t('control.settings')}</DialogTitle>
          <DialogDescription>{t('control.settingsDescription')}</DialogDescription>
        </DialogHeader>
        <div className="grid gap-4">
          <SwitchRow
            id="setting-lock"
            label={t('control.lock')}
            hint={t('control.lockHint')}
            checked={settings.isLocked}
            disabled={pending !== null}
            onCheckedChange={(isLocked) => change({ isLocked })}
          />
          <SwitchRow
            id="setting-lobby"
            label={t('control.lobbyEnabled')}
            hint={t('control.lobbyHint')}
            checked={settings.lobbyEnabled}
            disabled={pending !== null}
            onCheckedChange={(lobbyEnabled) => change({ lobbyEnabled })}
          />
          <SwitchRow
            id="setting-self-unmute"
            label={t('control.selfUnmute')}
            hint={t('control.selfUnmuteHint')}
            checked={settings.allowSelfUnmute}
            disabled={pending !== null}
            onCheckedChange={(allowSelfUnmute) => change({ allowSelfUnmute })}
          />
          <SwitchRow
            id="setting-chat"
            label={t('control.chat')}
            hint={t('control.chatHint')}
            checked={settings.isChatEnabled}
            disabled={pending !== null}
            onCheckedChange={(isChatEnabled) => change({ isChatEnabled })}
          />
          <fieldset className="grid gap-2" disabled={pending !== null}>
            <legend className="mb-1 text-sm font-medium">{t('control.sharePolicy')}</legend>
            {(['everyone', 'presenters'] as const).map((policy) => (
              <label key={policy} className="flex min-h-9 items-center gap-2 text-sm">
                <input
                  type="radio"
                  name={policyName}
                  value={policy}
                  data-testid={`share-policy-${policy}`}
                  checked={settings.screenSharePolicy === policy}
                  onChange={() => change({ screenSharePolicy: policy })}
                  className="accent-primary"
                />
                {policy === 'everyone' ? t('control.shareEveryone') : t('control.sharePresenters')}
              </label>
            ))}
          </fieldset>
        </div>
      </DialogContent>
    </Dialog>
  )
}

function SwitchRow(props: {
  id: string
  label: ReactNode
  hint: ReactNode
  checked: boolean
  disabled: boolean
  onCheckedChange: (checked: boolean) => void
}) {
  return (
    <div className="flex items-start justify-between gap-4">
      <div className="grid gap-0.5">
        <label htmlFor={props.id} className="text-sm font-medium">
          {props.label}
        </label>
        <p id={`${props.id}-hint`} className="text-sm text-muted-foreground">
          {props.hint}
        </p>
      </div>
      <Switch
        id={props.id}
        data-testid={props.id}
        aria-describedby={`${props.id}-hint`}
        checked={props.checked}
        disabled={props.disabled}
        onCheckedChange={props.onCheckedChange}
      />
    </div>
  )
}
