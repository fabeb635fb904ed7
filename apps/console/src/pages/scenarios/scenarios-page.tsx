import { Tabs } from '../../components/tabs';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/dictionary';
import { navigate } from '../../router';
import { HandoffQueue } from './handoff-queue';
import { InterviewReportView } from './interview-report-view';
import { InterviewsList } from './interviews-list';
import { QuestionBankView } from './question-bank-view';
import { QuestionBanksPage } from './question-banks-page';
import { RegistrationsPage } from './registrations-page';

const TABS: { id: string; label: MessageKey }[] = [
  { id: 'interviews', label: 'scenarios.interviews' },
  { id: 'banks', label: 'scenarios.banks' },
  { id: 'registrations', label: 'scenarios.registrations' },
  { id: 'handoffs', label: 'scenarios.handoffs' },
];

/**
 * /scenarios/interviews[/:conversationId], /scenarios/banks[/:role], /scenarios/registrations,
 * /scenarios/handoffs: what interview and front-desk personas produced, and the people they wait for.
 */
export function ScenariosPage({ route }: { route: string }) {
  const { t } = useI18n();
  const [, , tab = 'interviews', item] = route.split('/');
  const selected = item ? decodeURIComponent(item) : undefined;
  return (
    <div className="scenarios">
      <Tabs
        tabs={TABS.map(({ id, label }) => ({ id, label: t(label) }))}
        active={tab}
        onSelect={(id) => navigate(`/scenarios/${id}`)}
      />
      {tab === 'banks' ? (
        selected ? (
          <QuestionBankView role={selected} />
        ) : (
          <QuestionBanksPage />
        )
      ) : tab === 'registrations' ? (
        <RegistrationsPage />
      ) : tab === 'handoffs' ? (
        <HandoffQueue />
      ) : selected ? (
        <InterviewReportView conversationId={selected} />
      ) : (
        <InterviewsList />
      )}
    </div>
  );
}
