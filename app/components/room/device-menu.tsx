// Camera, microphone and speaker choice inside the room, and whether others' cameras are received.
import { Settings2 } from 'lucide-react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from '#app/components/ui/button.tsx'
import {
  DropdownMenu,
  DropdownMenuCheckboxItem,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '#app/components/ui/dropdown-menu.tsx'

// Radix radio groups need a string value for "the browser's default device".
const DEFAULT = 'default-device'

export type DeviceChoice = { cameraId?: string; microphoneId?: string; speakerId?: string }

/** The machine's media devices, refreshed when one is plugged in or out. */
function useMediaDevices() {
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([])
  useEffect(() => {
    if (!navigator.mediaDevices?.enumerateDevices) return
    const refresh = () => void navigator.mediaDevices.enumerateDevices().then(setDevices)
    refresh()
    navigator.mediaDevices.addEventListener('devicechange', refresh)
    return () => navigator.mediaDevices.removeEventListener('devicechange', refresh)
  }, [])
  return devices
}

export function DeviceMenu({
  value,
  onChange,
  isIncomingVideoOn,
  onIncomingVideo,
  triggerClassName,
}: {
  value: DeviceChoice
  onChange: (kind: keyof DeviceChoice, deviceId: string | undefined) => void
  /** Off: others' cameras are not received (a slow link or a weak machine); avatars show instead. */
  isIncomingVideoOn: boolean
  onIncomingVideo: (isOn: boolean) => void
  triggerClassName?: string
}) {
  const { t } = useTranslation('meetings')
  const devices = useMediaDevices()
  const [canPickSpeaker, setCanPickSpeaker] = useState(false)
  useEffect(() => setCanPickSpeaker('setSinkId' in HTMLMediaElement.prototype), [])
  const sections: { key: keyof DeviceChoice; kind: MediaDeviceKind; label: string }[] = [
    { key: 'cameraId', kind: 'videoinput', label: t('room.camera') },
    { key: 'microphoneId', kind: 'audioinput', label: t('room.microphone') },
  ]
  if (canPickSpeaker)
    sections.push({ key: 'speakerId', kind: 'audiooutput', label: t('room.speaker') })
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button
          type="button"
          variant="secondary"
          size="icon"
          aria-label={t('room.devices')}
          data-testid="device-menu"
          className={triggerClassName}
        >
          <Settings2 aria-hidden />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent side="top" className="max-w-[calc(100vw-1rem)]">
        {sections.map((section, index) => {
          const options = devices.filter(
            (d) => d.kind === section.kind && d.deviceId && d.deviceId !== 'default',
          )
          return (
            <div key={section.key}>
              {index > 0 ? <DropdownMenuSeparator /> : null}
              <DropdownMenuLabel>{section.label}</DropdownMenuLabel>
              <DropdownMenuRadioGroup
                value={value[section.key] ?? DEFAULT}
                onValueChange={(id) => onChange(section.key, id === DEFAULT ? undefined : id)}
              >
                <DropdownMenuRadioItem value={DEFAULT}>
                  {t('room.defaultDevice')}
                </DropdownMenuRadioItem>
                {options.map((device, position) => (
                  <DropdownMenuRadioItem key={device.deviceId} value={device.deviceId}>
                    <span className="truncate">
                      {device.label || `${section.label} ${position + 1}`}
                    </span>
                  </DropdownMenuRadioItem>
                ))}
              </DropdownMenuRadioGroup>
            </div>
          )
        })}
        <DropdownMenuSeparator />
        <DropdownMenuCheckboxItem
          checked={isIncomingVideoOn}
          onCheckedChange={(checked) => onIncomingVideo(checked === true)}
          data-testid="incoming-video-toggle"
        >
          {t('room.incomingVideo')}
        </DropdownMenuCheckboxItem>
      </DropdownMenuContent>
    </DropdownMenu>
  )
}
