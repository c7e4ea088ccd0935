// One handler per client event (core/protocol/signaling.ts); server/socket/handler.ts runs them.
import type { EventHandlers } from '../handler.ts'
import { handleChatHistory } from './chat-history.ts'
import { handleChatSend } from './chat-send.ts'
import { handleHandLower } from './hand-lower.ts'
import { handleHandLowerAll } from './hand-lower-all.ts'
import { handleHandRaise } from './hand-raise.ts'
import { handleLobbyAdmit } from './lobby-admit.ts'
import { handleLobbyAdmitAll } from './lobby-admit-all.ts'
import { handleLobbyDeny } from './lobby-deny.ts'
import { handleMediaCloseProducer } from './media-close-producer.ts'
import { handleMediaConnectTransport } from './media-connect-transport.ts'
import { handleMediaConsume } from './media-consume.ts'
import { handleMediaConsumeData } from './media-consume-data.ts'
import { handleMediaCreateTransport } from './media-create-transport.ts'
import { handleMediaJoin } from './media-join.ts'
import { handleMediaLeave } from './media-leave.ts'
import { handleMediaPauseConsumer } from './media-pause-consumer.ts'
import { handleMediaPauseProducer } from './media-pause-producer.ts'
import { handleMediaProduce } from './media-produce.ts'
import { handleMediaProduceData } from './media-produce-data.ts'
import { handleMediaRestartIce } from './media-restart-ice.ts'
import { handleMediaResumeConsumer } from './media-resume-consumer.ts'
import { handleMediaResumeProducer } from './media-resume-producer.ts'
import { handleMediaSetPreferredLayers } from './media-set-preferred-layers.ts'
import { handleMeetingEnd } from './meeting-end.ts'
import { handleMeetingSetRole } from './meeting-set-role.ts'
import { handleMeetingState } from './meeting-state.ts'
import { handleMeetingUpdateSettings } from './meeting-update-settings.ts'
import { handleModerationMute } from './moderation-mute.ts'
import { handleModerationMuteAll } from './moderation-mute-all.ts'
import { handleModerationRemove } from './moderation-remove.ts'
import { handleModerationStopCamera } from './moderation-stop-camera.ts'
import { handleModerationStopScreen } from './moderation-stop-screen.ts'
import { handleReactionSend } from './reaction-send.ts'

export const clientEventHandlers: EventHandlers = {
  'media:join': handleMediaJoin,
  'media:createTransport': handleMediaCreateTransport,
  'media:connectTransport': handleMediaConnectTransport,
  'media:restartIce': handleMediaRestartIce,
  'media:produce': handleMediaProduce,
  'media:consume': handleMediaConsume,
  'media:resumeConsumer': handleMediaResumeConsumer,
  'media:pauseConsumer': handleMediaPauseConsumer,
  'media:setPreferredLayers': handleMediaSetPreferredLayers,
  'media:pauseProducer': handleMediaPauseProducer,
  'media:resumeProducer': handleMediaResumeProducer,
  'media:closeProducer': handleMediaCloseProducer,
  'media:leave': handleMediaLeave,
  'meeting:end': handleMeetingEnd,
  'meeting:state': handleMeetingState,
  'meeting:updateSettings': handleMeetingUpdateSettings,
  'meeting:setRole': handleMeetingSetRole,
  'moderation:mute': handleModerationMute,
  'moderation:muteAll': handleModerationMuteAll,
  'moderation:stopCamera': handleModerationStopCamera,
  'moderation:stopScreen': handleModerationStopScreen,
  'moderation:remove': handleModerationRemove,
  'lobby:admit': handleLobbyAdmit,
  'lobby:deny': handleLobbyDeny,
  'lobby:admitAll': handleLobbyAdmitAll,
  'hand:raise': handleHandRaise,
  'hand:lower': handleHandLower,
  'hand:lowerAll': handleHandLowerAll,
  'reaction:send': handleReactionSend,
  'media:produceData': handleMediaProduceData,
  'media:consumeData': handleMediaConsumeData,
  'chat:send': handleChatSend,
  'chat:history': handleChatHistory,
}
