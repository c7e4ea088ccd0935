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
import { handleMessengerList } from './messenger-list.ts'
import { handleMessengerOpen } from './messenger-open.ts'
import { handleMessengerMessages } from './messenger-messages.ts'
import { handleMessengerPost } from './messenger-post.ts'
import { handleMessengerEdit } from './messenger-edit.ts'
import { handleMessengerDelete } from './messenger-delete.ts'
import { handleMessengerReact } from './messenger-react.ts'
import { handleMessengerForward } from './messenger-forward.ts'
import { handleMessengerPin } from './messenger-pin.ts'
import { handleMessengerRead } from './messenger-read.ts'
import { handleMessengerTyping } from './messenger-typing.ts'
import { handleMessengerCreateDirect } from './messenger-create-direct.ts'
import {
  handleMessengerCreateChannel,
  handleMessengerCreateGroup,
} from './messenger-create-conversation.ts'
import { handleMessengerUpdate } from './messenger-update.ts'
import { handleMessengerAddMembers } from './messenger-add-members.ts'
import { handleMessengerRemoveMember } from './messenger-remove-member.ts'
import { handleMessengerSetMemberRole } from './messenger-set-member-role.ts'
import { handleMessengerDirectory } from './messenger-directory.ts'
import { handleMessengerJoin } from './messenger-join.ts'
import { handleMessengerSearch } from './messenger-search.ts'
import { handleMessengerPresence } from './messenger-presence.ts'
import { handleMessengerSetPresence } from './messenger-set-presence.ts'
import { handleMeetingSetRole } from './meeting-set-role.ts'
import { handleMeetingState } from './meeting-state.ts'
import { handleMeetingUpdateSettings } from './meeting-update-settings.ts'
import { handleModerationMute } from './moderation-mute.ts'
import { handleModerationMuteAll } from './moderation-mute-all.ts'
import { handleModerationRemove } from './moderation-remove.ts'
import { handleModerationStopCamera, handleModerationStopScreen } from './moderation-stop-media.ts'
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
  'messenger:list': handleMessengerList,
  'messenger:open': handleMessengerOpen,
  'messenger:messages': handleMessengerMessages,
  'messenger:post': handleMessengerPost,
  'messenger:edit': handleMessengerEdit,
  'messenger:delete': handleMessengerDelete,
  'messenger:react': handleMessengerReact,
  'messenger:forward': handleMessengerForward,
  'messenger:pin': handleMessengerPin,
  'messenger:read': handleMessengerRead,
  'messenger:typing': handleMessengerTyping,
  'messenger:createDirect': handleMessengerCreateDirect,
  'messenger:createGroup': handleMessengerCreateGroup,
  'messenger:createChannel': handleMessengerCreateChannel,
  'messenger:update': handleMessengerUpdate,
  'messenger:addMembers': handleMessengerAddMembers,
  'messenger:removeMember': handleMessengerRemoveMember,
  'messenger:setMemberRole': handleMessengerSetMemberRole,
  'messenger:directory': handleMessengerDirectory,
  'messenger:join': handleMessengerJoin,
  'messenger:search': handleMessengerSearch,
  'messenger:presence': handleMessengerPresence,
  'messenger:setPresence': handleMessengerSetPresence,
}
