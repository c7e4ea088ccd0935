// The room once admitted: stage (grid / speaker / presenter), controls, participants, sound and the
// connection banner, all driven by one RoomClient.
import { Loader2, RefreshCw } from 'lucide-react'
import { useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from '#app/components/ui/button.tsx'
import { toast } from '#app/components/ui/toast.tsx'
import { loadDevicePreferences, saveDevicePreferences } from '#app/media/device-preferences.ts'
import type { RoomClient } from '#app/media/room-client.ts'
import { useMeetingChat } from '#app/media/use-meeting-chat.ts'
import { canShareScreen } from '#app/media/screen-share.ts'
import { selectParticipants, type RoomState } from '#app/media/room-state.ts'
import { cn } from '#app/utils/cn.ts'
import type { MeetingRole } from '#core/db/types.ts'
import { canDo } from '#core/permissions.ts'
import { ChatPanel } from './chat-panel.tsx'
import { ControlBar } from './control-bar.tsx'
import type { DeviceChoice } from './device-menu.tsx'
import { MeetingSettingsDialog } from './meeting-settings-dialog.tsx'
import type { TileModel } from './participant-tile.tsx'
import { ParticipantsPanel, type PanelPerson } from './participants-panel.tsx'
import { RemoteAudio } from './remote-audio.tsx'
import { RoomStage, type StageLayout } from './room-stage.tsx'
import { useRoomControl } from './use-room-control.ts'
import { useViewport } from './use-viewport.ts'

type MeetingRoomProps = {
  title: string
  inviteCode: string
  me: { userId: string; displayName: string; role: MeetingRole }
  client: RoomClient | null
  state: RoomState
  onLeave: () => void
  /** A moderator removed me: the page reloads its data and shows it. */
  onRemoved: () => void
}

export function MeetingRoom({
  title,
  inviteCode,
  me,
  client,
  state,
  onLeave,
  onRemoved,
}: MeetingRoomProps) {
  const { t } = useTranslation('meetings')
  const control = useRoomControl({ inviteCode, client, state, me, onRemoved })
  const { participants: controlled, reactions } = control.controlState
  const reactionsOf = (peerId: string) => reactions.filter((r) => r.peerId === peerId)
  const { isPhone } = useViewport()
  const [layout, setLayout] = useState<StageLayout>('grid')
  const [isPanelOpen, setIsPanelOpen] = useState(false)
  const [isChatOpen, setIsChatOpen] = useState(false)
  const chat = useMeetingChat(client, me.userId)
  useEffect(() => chat.chat?.setOpen(isChatOpen), [chat.chat, isChatOpen])
  const [isIncomingVideoOn, setIsIncomingVideoOn] = useState(true)
  useEffect(() => client?.setIncomingVideo(isIncomingVideoOn), [client, isIncomingVideoOn])
  const [canShare, setCanShare] = useState(false)
  useEffect(() => setCanShare(canShareScreen() && !isPhone), [isPhone])

  const participants = useMemo(() => selectParticipants(state), [state])
  const { local } = state
  const myPeerId = state.peerId ?? 'self'

  const selfTile: TileModel = {
    key: 'self',
    peerId: myPeerId,
    userId: me.userId,
    displayName: me.displayName,
    kind: 'camera',
    isLocal: true,
    videoTrack: local.isCameraOn ? local.cameraTrack : null,
    videoProducerId: null,
    isMuted: !local.isMicOn,
    level: state.audioLevels[myPeerId] ?? 0,
    isActiveSpeaker: state.activeSpeakerId === myPeerId,
    isHandRaised: control.isHandRaised,
    reactions: reactionsOf(myPeerId),
  }
  const tiles: TileModel[] = [
    selfTile,
    ...participants.map((p) => ({
      key: p.peerId,
      peerId: p.peerId,
      userId: p.userId,
      displayName: p.displayName,
      kind: 'camera' as const,
      isLocal: false,
      // Without a producer id the tile asks for no video, so its consumer pauses at the SFU.
      videoTrack: isIncomingVideoOn && p.hasVideo ? (p.camera?.track ?? null) : null,
      videoProducerId: isIncomingVideoOn && p.camera && !p.camera.isPaused ? p.camera.id : null,
      isMuted: p.isMuted,
      level: p.level,
      isActiveSpeaker: p.isActiveSpeaker,
      isHandRaised: Boolean(controlled[p.userId]?.handRaisedAt),
      reactions: reactionsOf(p.peerId),
    })),
  ]

  // The newest remote screen share wins the stage; our own share shows when nobody else presents.
  const presenter = participants.findLast((p) => p.screen)
  const screen: TileModel | null = presenter?.screen
    ? {
        key: `screen:${presenter.screen.id}`,
        peerId: presenter.peerId,
        userId: presenter.userId,
        displayName: presenter.displayName,
        kind: 'screen',
        isLocal: false,
        videoTrack: presenter.screen.track,
        videoProducerId: presenter.screen.id,
        isMuted: false,
        level: 0,
        isActiveSpeaker: false,
      }
    : local.isScreenSharing && local.screenTrack
      ? {
          ...selfTile,
          key: 'screen:self',
          kind: 'screen',
          videoTrack: local.screenTrack,
          level: 0,
          isActiveSpeaker: false,
          isHandRaised: false,
          reactions: [],
        }
      : null

  // The speaker view keeps showing the last person who spoke while everyone is quiet.
  const lastSpeaker = useRef<string | null>(null)
  if (state.activeSpeakerId && participants.some((p) => p.peerId === state.activeSpeakerId)) {
    lastSpeaker.current = state.activeSpeakerId
  }

  const remoteAudio = useMemo(
    () => Object.values(state.producers).filter((p) => p.kind === 'audio' && p.track),
    [state.producers],
  )

  const problem = local.problem
  useEffect(() => {
    if (!problem) return
    toast({
      id: 'room-media-problem',
      title: t(
        problem === 'permission-denied'
          ? 'room.permissionDenied'
          : problem === 'screen-failed'
            ? 'room.screenFailed'
            : 'room.noDevices',
      ),
      variant: 'destructive',
    })
  }, [problem, t])

  const people: PanelPerson[] = [
    {
      key: 'self',
      userId: me.userId,
      displayName: me.displayName,
      role: control.myRole,
      isLocal: true,
      isMuted: !local.isMicOn,
      isCameraOn: local.isCameraOn,
      isScreenSharing: local.isScreenSharing,
      isHandRaised: control.isHandRaised,
      isForceMuted: Boolean(controlled[me.userId]?.isForceMuted),
    },
    ...participants.map((p) => ({
      key: p.peerId,
      userId: p.userId,
      displayName: p.displayName,
      // The role a peer joined with, until a change arrives.
      role: controlled[p.userId]?.role ?? (p.role as MeetingRole),
      isLocal: false,
      isMuted: p.isMuted,
      isCameraOn: p.hasVideo,
      isScreenSharing: Boolean(p.screen),
      isHandRaised: Boolean(controlled[p.userId]?.handRaisedAt),
      isForceMuted: Boolean(controlled[p.userId]?.isForceMuted),
    })),
  ]

  const devices: DeviceChoice = {
    cameraId: local.cameraId,
    microphoneId: local.microphoneId,
    speakerId: local.speakerId,
  }
  const changeDevice = (kind: keyof DeviceChoice, deviceId: string | undefined) => {
    saveDevicePreferences({ ...loadDevicePreferences(), [kind]: deviceId })
    if (kind === 'speakerId') client?.setSpeaker(deviceId)
    else void client?.switchDevice(kind === 'cameraId' ? 'camera' : 'microphone', deviceId)
  }

  return (
    <div
      data-testid="room"
      data-connection-state={state.connectionState}
      className="flex h-dvh flex-col overflow-hidden bg-neutral-950 text-white"
    >
      <header className="flex h-12 shrink-0 items-center gap-3 px-3 pt-[env(safe-area-inset-top)]">
        <h1 className="min-w-0 truncate font-semibold">{title}</h1>
        {state.connectionState === 'connecting' ? (
          <span role="status" className="flex items-center gap-1.5 text-sm text-neutral-300">
            <Loader2 className="size-4 animate-spin" aria-hidden />
            {t('room.connecting')}
          </span>
        ) : null}
        {screen ? (
          <span className="ms-auto hidden truncate text-sm text-neutral-300 sm:block">
            {screen.isLocal
              ? t('room.youArePresenting')
              : t('room.presenting', { name: screen.displayName })}
          </span>
        ) : null}
        {control.isModerator ? (
          <MeetingSettingsDialog
            settings={control.controlState.settings}
            onChange={control.changeSettings}
            triggerClassName={cn(
              !screen && 'ms-auto',
              'text-white hover:bg-white/10 hover:text-white',
            )}
          />
        ) : null}
        {/* Someone new in the lobby, for screen readers (the badge and the chime are the rest). */}
        <p aria-live="assertive" data-testid="lobby-announcement" className="sr-only">
          {control.announcement}
        </p>
      </header>
      <ConnectionBanner state={state} onRetry={() => client?.retry()} />
      <div className="flex min-h-0 flex-1 gap-2 px-2">
        <main className="relative min-h-0 min-w-0 flex-1">
          <RoomStage
            client={client}
            tiles={tiles}
            screen={screen}
            layout={layout}
            speakerKey={lastSpeaker.current}
          />
        </main>
        {isPanelOpen ? (
          <ParticipantsPanel
            people={people}
            lobby={control.controlState.lobby}
            hands={control.hands}
            myRole={control.myRole}
            onAction={control.onPanelAction}
            onClose={() => setIsPanelOpen(false)}
          />
        ) : null}
        {isChatOpen ? (
          <ChatPanel
            state={chat.state}
            myUserId={me.userId}
            canSend={canDo(control.myRole, 'chat.send', control.controlState.settings)}
            onSend={(text) => chat.chat?.send(text) ?? false}
            onRetry={(key) => chat.chat?.retry(key)}
            onClose={() => setIsChatOpen(false)}
          />
        ) : null}
      </div>
      <ControlBar
        isIncomingVideoOn={isIncomingVideoOn}
        onIncomingVideo={setIsIncomingVideoOn}
        isMicOn={local.isMicOn}
        isCameraOn={local.isCameraOn}
        isScreenSharing={local.isScreenSharing}
        canShareScreen={canShare}
        isScreenShareAllowed={control.isScreenShareAllowed}
        isMicLocked={control.isMicLocked}
        isHandRaised={control.isHandRaised}
        lobbyCount={control.isModerator ? control.controlState.lobby.length : 0}
        canEndForAll={canDo(control.myRole, 'meeting.end')}
        layout={layout}
        participantCount={people.length}
        isPanelOpen={isPanelOpen}
        chat={{
          isOpen: isChatOpen,
          unread: chat.state.unread,
          // One panel at a time: on phones each is a full-screen sheet.
          onToggle: () => {
            setIsChatOpen(!isChatOpen)
            setIsPanelOpen(false)
          },
        }}
        devices={devices}
        onMic={control.toggleMic}
        onCamera={() => void client?.setCameraOn(!local.isCameraOn)}
        onScreen={() =>
          void (local.isScreenSharing ? client?.stopScreenShare() : client?.startScreenShare())
        }
        onLayout={() => setLayout(layout === 'grid' ? 'speaker' : 'grid')}
        onHand={control.toggleHand}
        onReact={control.react}
        onPanel={() => {
          setIsPanelOpen(!isPanelOpen)
          setIsChatOpen(false)
        }}
        onDevice={changeDevice}
        onLeave={onLeave}
        onEndForAll={() => {
          client
            ?.endForAll()
            .catch(() => toast({ title: t('room.endFailed'), variant: 'destructive' }))
        }}
      />
      <RemoteAudio producers={remoteAudio} speakerId={local.speakerId} />
    </div>
  )
}

function ConnectionBanner({ state, onRetry }: { state: RoomState; onRetry: () => void }) {
  const { t } = useTranslation('meetings')
  if (state.connectionState === 'reconnecting') {
    return (
      <div
        role="status"
        data-testid="connection-banner"
        className="mx-2 mb-2 flex items-center justify-center gap-2 rounded-lg bg-warning px-3 py-2 text-sm text-warning-foreground"
      >
        <Loader2 className="size-4 animate-spin" aria-hidden />
        {t('room.reconnecting')}
      </div>
    )
  }
  if (state.connectionState === 'failed') {
    return (
      <div
        role="alert"
        data-testid="connection-banner"
        className={cn(
          'mx-2 mb-2 flex flex-wrap items-center justify-center gap-3 rounded-lg bg-destructive px-3 py-2 text-sm text-destructive-foreground',
        )}
      >
        {t('room.connectionFailed')}
        <Button type="button" size="sm" variant="secondary" onClick={onRetry}>
          <RefreshCw aria-hidden />
          {t('room.retry')}
        </Button>
      </div>
    )
  }
  return null
}
