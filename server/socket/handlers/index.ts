// One handler per client event (core/protocol/signaling.ts); server/socket/handler.ts runs them.
import type { EventHandlers } from '../handler.ts'
import { handleChatHistory } from './chat-history.ts'
import { handleChatSend } from './chat-send.ts'
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
  'media:produceData': handleMediaProduceData,
  'media:consumeData': handleMediaConsumeData,
  'chat:send': handleChatSend,
  'chat:history': handleChatHistory,
}
