import type { ChannelSettings } from '../../db/queries/settings-queries';
import { CLOSE_LIMITS } from '../../domain/policies';

/** F11/F16: the channel's settings; the web-chat extras are always off on WhatsApp. */
export const settingsView = (s: ChannelSettings) => ({
  chatCloseLimitSeconds: s.chatCloseLimitSeconds,
  idleCloseSeconds: s.idleCloseSeconds,
  closingNotice: s.closingNotice,
  unavailableReply: s.unavailableReply,
  preChatForm: false,
  interactiveMessages: false,
  feedbackForm: false,
  limits: CLOSE_LIMITS,
});
