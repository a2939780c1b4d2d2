import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  closeUpdate,
  inboundSignal,
  replyUpdate,
  requeueSignal,
  stateQuery,
  transferUpdate,
  wakeSignal,
  type ConversationInput,
  type ConversationState,
  type ReplyRequest,
} from '../src/contracts/conversation-contract';
import { FailureType } from '../src/contracts/failure-types';
import { nextClose } from '../src/domain/conversation-timeline';
import { DEFAULT_ASSIGNMENT_RETRY_SECONDS } from '../src/domain/policies';
import { ConversationRun } from './conversation-run';

const DAY_MS = 24 * 3600 * 1000;

/**
 * A chat from the customer's first message to its close: routing and the queue, replies, transfers,
 * and the durable close deadlines. Continues as new, carrying its state, when the history grows.
 */
export async function conversationWorkflow(input: ConversationInput): Promise<ConversationState> {
  const run = new ConversationRun(input);
  const { state } = run;

  setHandler(stateQuery, () => state);
  setHandler(inboundSignal, (notice) => run.noteInbound(notice));
  setHandler(wakeSignal, () => run.wake());
  setHandler(requeueSignal, () => run.requeue());
  setHandler(replyUpdate, (request) => run.reply(request), {
    validator: (request: ReplyRequest) => run.validateReply(request),
  });
  setHandler(
    closeUpdate,
    async (_closedBy) => {
      if (await run.close('operator')) return state;
      const message = 'The customer wrote again as the chat was closing; it stays open';
      throw ApplicationFailure.nonRetryable(message, FailureType.CustomerWroteAgain);
    },
    {
      validator: (_closedBy) => run.refuseIfClosed(),
    },
  );
  setHandler(transferUpdate, (request) => run.transfer(request), { validator: (_request) => run.refuseIfClosed() });

  const retryMs = (input.assignmentRetrySeconds ?? DEFAULT_ASSIGNMENT_RETRY_SECONDS) * 1000;
  while (state.status !== 'closed') {
    if (state.status === 'waiting' && run.wantAssignment) {
      await run.assign();
      continue;
    }
    if (run.acceptedTypesNoticeDue) {
      await run.sendAcceptedTypesNotice();
      continue;
    }
    const due = nextClose(state, input.policy);
    if (due && due.at <= Date.now()) {
      const seen = run.timelineChanges;
      if (await run.close(due.reason)) break;
      // The customer's new message is on its way; its notice moves the deadline. Look again once it is here.
      await condition(() => run.timelineChanges !== seen, '1 minute');
      continue;
    }
    if (workflowInfo().continueAsNewSuggested) {
      // A reply still being sent belongs to this run's history; the next run would not know to record it.
      await condition(() => allHandlersFinished() && run.sending.idle);
      return continueAsNew<typeof conversationWorkflow>({ ...input, state });
    }
    const waitMs = Math.min(due ? due.at - Date.now() : Infinity, state.status === 'waiting' ? retryMs : DAY_MS);
    const seen = run.timelineChanges;
    const woke = await condition(
      () =>
        state.status === 'closed' ||
        (state.status === 'waiting' && run.wantAssignment) ||
        run.timelineChanges !== seen ||
        run.acceptedTypesNoticeDue ||
        workflowInfo().continueAsNewSuggested,
      waitMs,
    );
    if (!woke && state.status === 'waiting') run.wantAssignment = true;
  }
  await condition(() => allHandlersFinished() && run.sending.idle);
  return state;
}
