// The room's side of meeting control: MeetingControl on the room's socket, what follows from my
// role and the settings (core/permissions.ts), the moderator actions with their error toasts, and
// what a notice means here: a moderator muted me → my microphone goes off; someone new waits → a
// chime, a toast and an announcement for screen readers; I was removed → the page reloads its data.
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from '#app/components/ui/toast.tsx'
import { playTestTone } from '#app/media/play-test-tone.ts'
import type { ControlNotice } from '#app/media/meeting-control.ts'
import { selectRaisedHands } from '#app/media/meeting-control.ts'
import type { RoomClient } from '#app/media/room-client.ts'
import type { RoomState } from '#app/media/room-state.ts'
import { SignalingError } from '#app/media/signaling.ts'
import { useMeetingControl } from '#app/media/use-meeting-control.ts'
import type { MeetingRole } from '#core/db/types.ts'
import { canDo, isModeratorRole } from '#core/permissions.ts'
import type { MeetingSettings, ReactionEmoji } from '#core/protocol/meeting-control.ts'
import type { HandInQueue, PanelAction } from './participants-panel.tsx'

type RoomControlOptions = {
  inviteCode: string
  client: RoomClient | null
  state: RoomState
  me: { userId: string; role: MeetingRole }
  /** The server took me out of the meeting (removed): the page shows why. */
  onRemoved: () => void
}

export function useRoomControl({ inviteCode, client, state, me, onRemoved }: RoomControlOptions) {
  const { t } = useTranslation('meetings')
  const { control, state: controlState } = useMeetingControl(client, state.peerId, me)
  const { settings, myRole } = controlState
  const mine = controlState.participants[me.userId]
  const isModerator = isModeratorRole(myRole)
  const isMicLocked =
    Boolean(mine?.isForceMuted) && !canDo(myRole, 'audio.unmuteAfterModeratorMute', settings)
  const isScreenShareAllowed = canDo(myRole, 'screen.share', settings)
  const [announcement, setAnnouncement] = useState('')

  const hands: HandInQueue[] = useMemo(() => {
    const present = new Set([me.userId, ...state.peers.map((peer) => peer.userId)])
    return selectRaisedHands(controlState, present).map(({ userId, displayName }) => ({
      userId,
      displayName,
    }))
  }, [controlState, state.peers, me.userId])

  const speakerId = state.local.speakerId
  useEffect(() => {
    if (!control) return
    return control.onNotice((notice: ControlNotice) => {
      switch (notice.type) {
        case 'applied': {
          const name = notice.byName
          if (notice.action === 'mute') {
            void client?.setMicOn(false)
            toast({ id: 'moderation', title: t('control.mutedBy', { name }) })
          } else if (notice.action === 'stopCamera') {
            void client?.setCameraOn(false)
            toast({ id: 'moderation', title: t('control.cameraStoppedBy', { name }) })
          } else if (notice.action === 'stopScreen') {
            void client?.stopScreenShare()
            toast({ id: 'moderation', title: t('control.screenStoppedBy', { name }) })
          } else if (notice.action === 'lowerHand') {
            toast({ id: 'moderation', title: t('control.handLoweredBy', { name }) })
          } else {
            toast({
              id: 'moderation',
              title: t('control.removedBy', { name }),
              variant: 'destructive',
            })
            onRemoved()
          }
          return
        }
        case 'status':
          if (notice.inviteCode === inviteCode && notice.status === 'removed') onRemoved()
          return
        case 'lobbyArrived': {
          const [first] = notice.entries
          const text =
            notice.entries.length === 1 && first
              ? t('control.lobbyArrived', { name: first.displayName })
              : t('control.lobbyArrivedMany', { count: notice.entries.length })
          setAnnouncement(text)
          toast({ id: 'lobby-arrived', title: text })
          // The browser may refuse sound without a recent gesture; the badge and toast still show.
          playTestTone(speakerId).catch(() => {})
          return
        }
        case 'roleChanged':
          toast({ id: 'role', title: t('control.roleChanged', { role: t(`role.${notice.role}`) }) })
          return
      }
    })
  }, [control, client, inviteCode, onRemoved, speakerId, t])

  /** Sends a control request; a refusal or failure becomes a toast. */
  const run = (request: Promise<unknown> | undefined) => {
    void request?.catch((error: unknown) => {
      const isForbidden = error instanceof SignalingError && error.code === 'FORBIDDEN'
      toast({
        id: 'control-failed',
        title: isForbidden ? t('control.forbidden') : t('control.actionFailed'),
        variant: 'destructive',
      })
    })
  }

  const onPanelAction = (action: PanelAction) => {
    if (!control) return
    switch (action.type) {
      case 'mute':
      case 'stopCamera':
      case 'stopScreen':
      case 'remove':
      case 'lowerHand':
      case 'admit':
      case 'deny':
        // Each is the control method of that name, about that person.
        return run(control[action.type](action.userId))
      case 'setRole':
        return run(control.setRole(action.userId, action.role))
      case 'muteAll':
        return run(
          control.muteAll().then(() => toast({ id: 'mute-all', title: t('control.muteAllDone') })),
        )
      case 'admitAll':
        return run(control.admitAll())
      case 'lowerAllHands':
        return run(control.lowerAllHands())
    }
  }

  const toggleMic = () => {
    if (!client) return
    if (state.local.isMicOn) {
      void client.setMicOn(false)
      return
    }
    // The server decides (a moderator mute may forbid it); a refusal leaves the mic off and says why.
    client.setMicOn(true).catch((error: unknown) => {
      if (error instanceof SignalingError && error.code === 'FORBIDDEN') {
        toast({
          id: 'unmute-forbidden',
          title: t('control.unmuteForbidden'),
          variant: 'destructive',
        })
      }
    })
  }

  const isHandRaised = Boolean(mine?.handRaisedAt)
  const toggleHand = () => run(isHandRaised ? control?.lowerHand() : control?.raiseHand())
  const react = (emoji: ReactionEmoji) => run(control?.react(emoji))
  const changeSettings = async (patch: Partial<MeetingSettings>) => {
    if (!control) return
    try {
      await control.updateSettings(patch)
    } catch (error) {
      toast({ id: 'settings-failed', title: t('control.settingsFailed'), variant: 'destructive' })
      throw error
    }
  }

  return {
    controlState,
    myRole,
    isModerator,
    isMicLocked,
    isScreenShareAllowed,
    isHandRaised,
    hands,
    announcement,
    onPanelAction,
    toggleMic,
    toggleHand,
    react,
    changeSettings,
  }
}
