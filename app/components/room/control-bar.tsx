// The room's controls, reachable at the bottom on every screen size.
import {
  Hand,
  LayoutGrid,
  Mic,
  MicOff,
  MonitorUp,
  MonitorX,
  PhoneOff,
  SquareUser,
  Users,
  Video,
  VideoOff,
  XCircle,
} from 'lucide-react'
import type { ComponentProps } from 'react'
import { useTranslation } from 'react-i18next'
import { ConfirmDialog } from '#app/components/ui/alert-dialog.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { cn } from '#app/utils/cn.ts'
import type { ReactionEmoji } from '#core/protocol/meeting-control.ts'
import { ChatToggle, type ChatToggleProps } from './chat-toggle.tsx'
import { DeviceMenu, type DeviceChoice } from './device-menu.tsx'
import { ReactionsButton } from './reactions.tsx'
import type { StageLayout } from './room-stage.tsx'

type ControlBarProps = {
  isMicOn: boolean
  isCameraOn: boolean
  isScreenSharing: boolean
  canShareScreen: boolean
  /** The meeting's screen-share policy lets me share (the button shows disabled otherwise). */
  isScreenShareAllowed: boolean
  /** A moderator muted me and I may not unmute myself. */
  isMicLocked: boolean
  isHandRaised: boolean
  /** People waiting in the lobby (moderators): a badge on the participants button. */
  lobbyCount: number
  canEndForAll: boolean
  layout: StageLayout
  participantCount: number
  isPanelOpen: boolean
  /** The chat button (chat-toggle.tsx). */
  chat: ChatToggleProps
  devices: DeviceChoice
  isIncomingVideoOn: boolean
  onIncomingVideo: (isOn: boolean) => void
  onMic: () => void
  onCamera: () => void
  onScreen: () => void
  onLayout: () => void
  onHand: () => void
  onReact: (emoji: ReactionEmoji) => void
  onPanel: () => void
  onDevice: (kind: keyof DeviceChoice, deviceId: string | undefined) => void
  onLeave: () => void
  onEndForAll: () => void
}

// 40 px on phones; with the hand and reactions the organizer's nine controls wrap to two rows at
// 360 px, all on screen.
const roundButton = 'size-10 rounded-full sm:size-12'

/** An icon button of the bar; its label is also its tooltip unless `title` says otherwise. */
function RoundButton({
  label,
  className,
  ...props
}: ComponentProps<typeof Button> & { label: string }) {
  return (
    <Button
      type="button"
      size="icon"
      className={cn(roundButton, className)}
      aria-label={label}
      title={label}
      {...props}
    />
  )
}

export function ControlBar(props: ControlBarProps) {
  const { t } = useTranslation('meetings')
  const micLabel = props.isMicOn
    ? t('room.micOff')
    : props.isMicLocked
      ? t('control.micLocked')
      : t('room.micOn')
  const screenLabel = props.isScreenSharing
    ? t('room.stopSharing')
    : props.isScreenShareAllowed
      ? t('room.shareScreen')
      : t('control.shareNotAllowed')
  return (
    <footer
      role="toolbar"
      aria-label={t('room.controls')}
      className="flex shrink-0 flex-wrap items-center justify-center gap-1.5 px-2 pt-2 pb-[max(0.5rem,env(safe-area-inset-bottom))] sm:gap-3"
    >
      <RoundButton
        data-testid="mic-toggle"
        data-locked={props.isMicLocked || undefined}
        variant={props.isMicOn ? 'secondary' : 'destructive'}
        aria-pressed={!props.isMicOn}
        label={micLabel}
        onClick={props.onMic}
      >
        {props.isMicOn ? <Mic aria-hidden /> : <MicOff aria-hidden />}
      </RoundButton>
      <RoundButton
        data-testid="camera-toggle"
        variant={props.isCameraOn ? 'secondary' : 'destructive'}
        aria-pressed={!props.isCameraOn}
        label={props.isCameraOn ? t('room.cameraOff') : t('room.cameraOn')}
        onClick={props.onCamera}
      >
        {props.isCameraOn ? <Video aria-hidden /> : <VideoOff aria-hidden />}
      </RoundButton>
      {props.canShareScreen ? (
        <RoundButton
          data-testid="screen-toggle"
          variant={props.isScreenSharing ? 'default' : 'secondary'}
          aria-pressed={props.isScreenSharing}
          // Stopping stays possible when the policy changes mid-share.
          disabled={!props.isScreenShareAllowed && !props.isScreenSharing}
          label={screenLabel}
          onClick={props.onScreen}
        >
          {props.isScreenSharing ? <MonitorX aria-hidden /> : <MonitorUp aria-hidden />}
        </RoundButton>
      ) : null}
      <RoundButton
        data-testid="hand-toggle"
        variant={props.isHandRaised ? 'default' : 'secondary'}
        aria-pressed={props.isHandRaised}
        label={props.isHandRaised ? t('control.lowerHand') : t('control.raiseHand')}
        onClick={props.onHand}
      >
        <Hand aria-hidden />
      </RoundButton>
      <ReactionsButton onReact={props.onReact} triggerClassName={roundButton} />
      <DeviceMenu
        value={props.devices}
        onChange={props.onDevice}
        isIncomingVideoOn={props.isIncomingVideoOn}
        onIncomingVideo={props.onIncomingVideo}
        triggerClassName={roundButton}
      />
      <RoundButton
        data-testid="layout-toggle"
        variant="secondary"
        label={props.layout === 'grid' ? t('room.speakerView') : t('room.gridView')}
        onClick={props.onLayout}
      >
        {props.layout === 'grid' ? <SquareUser aria-hidden /> : <LayoutGrid aria-hidden />}
      </RoundButton>
      <RoundButton
        data-testid="participants-toggle"
        variant={props.isPanelOpen ? 'default' : 'secondary'}
        className="relative"
        aria-pressed={props.isPanelOpen}
        label={
          props.lobbyCount > 0
            ? `${t('room.participantsCount', { count: props.participantCount })}. ${t('control.lobbyCount', { count: props.lobbyCount })}`
            : t('room.participantsCount', { count: props.participantCount })
        }
        title={t('room.participants')}
        onClick={props.onPanel}
      >
        <Users aria-hidden />
        {props.lobbyCount > 0 ? (
          // Someone waits: a pulsing dot the moderator notices from anywhere in the room.
          <span
            data-testid="lobby-badge"
            aria-hidden
            className="absolute -start-1 -top-1 min-w-5 animate-pulse rounded-full bg-warning px-1 text-xs leading-5 text-warning-foreground motion-reduce:animate-none"
          >
            {props.lobbyCount}
          </span>
        ) : null}
        <span
          aria-hidden
          className="absolute -end-1 -top-1 min-w-5 rounded-full bg-primary px-1 text-xs leading-5 text-primary-foreground"
        >
          {props.participantCount}
        </span>
      </RoundButton>
      <ChatToggle {...props.chat} className={roundButton} />
      <ConfirmDialog
        trigger={
          <Button
            type="button"
            data-testid="leave"
            variant="destructive"
            className="h-10 rounded-full px-3 sm:h-12 sm:px-5"
            aria-label={t('room.leave')}
          >
            <PhoneOff aria-hidden />
            <span className="hidden sm:inline">{t('room.leave')}</span>
          </Button>
        }
        title={t('room.leaveTitle')}
        description={t('room.leaveDescription')}
        confirmLabel={t('room.leave')}
        isDestructive
        onConfirm={props.onLeave}
      />
      {props.canEndForAll ? (
        <ConfirmDialog
          trigger={
            <Button
              type="button"
              data-testid="end-for-all"
              variant="outline"
              className="h-10 rounded-full border-destructive px-3 text-destructive sm:h-12 sm:px-4"
              aria-label={t('room.endForAll')}
            >
              <XCircle aria-hidden />
              <span className="hidden lg:inline">{t('room.endForAll')}</span>
            </Button>
          }
          title={t('room.endTitle')}
          description={t('room.endDescription')}
          confirmLabel={t('room.endForAll')}
          isDestructive
          onConfirm={props.onEndForAll}
        />
      ) : null}
    </footer>
  )
}
