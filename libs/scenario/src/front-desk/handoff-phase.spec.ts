import { fixedContext, phaseOf } from './front-desk.fixtures';
import { handoffPhase } from './handoff-phase';

const context = fixedContext();
const phase = phaseOf(context, 'handoff');

describe('handoff phase', () => {
  it("asks for a person with the visitor's words as the reason and says the phase's line", async () => {
    const entered = await handoffPhase.enter(phase, fixedContext({ text: ' 我要转人工，想问发票的事 ' }));
    expect(entered).toEqual({
      data: { reason: '我要转人工，想问发票的事', requestedAt: '2026-11-25T02:30:00.000Z' },
      directive: { answer: false, say: ['好的，正在为您转接工作人员，请稍等。'] },
      handoff: { reason: '我要转人工，想问发票的事' },
    });
  });

  it("gives 'requested' as the reason when no words moved it (a button, a timer) and a default line", async () => {
    const entered = await handoffPhase.enter({ ...phase, say: undefined }, fixedContext({ locale: 'en' }));
    expect(entered.handoff).toEqual({ reason: 'requested' });
    expect(entered.directive.say).toEqual(['Sure, I am connecting you with a member of staff, one moment please.']);
  });

  it('answers messages while waiting with a waiting line, not from the knowledge base', async () => {
    const entered = await handoffPhase.enter(phase, context);
    const waiting = await handoffPhase.message(phase, entered.data, '还要多久？', context);
    expect(waiting).toEqual({
      data: entered.data,
      directive: { answer: false, say: ['工作人员马上就到，请您稍等片刻。'] },
    });
    expect(waiting.done).toBeUndefined();
    expect(handoffPhase.view!(phase, entered.data)).toEqual({ waitingForOperator: true, suggestions: [] });
  });

  it('stops waiting on the cancel intent', async () => {
    const entered = await handoffPhase.enter(phase, context);
    expect(await handoffPhase.message(phase, entered.data, '算了，取消吧', context)).toEqual({
      data: entered.data,
      directive: { answer: false, say: ['好的，已取消转接。还有什么可以帮您？'] },
      done: true,
    });
  });
});
