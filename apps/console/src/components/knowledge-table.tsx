import { useI18n } from '../i18n/i18n';
import { itemText, type KnowledgeView, round, scoreParts } from './knowledge-text';

/**
 * Knowledge items with their scores and every score part: what a reply's trace used, and what the
 * retrieval playground would select. `markRows` puts each item's id on its row (`data-item`).
 */
export function KnowledgeTable(props: {
  items: KnowledgeView[];
  testId: string;
  className?: string;
  markRows?: boolean;
}) {
  const { t } = useI18n();
  return (
    <table className={props.className} data-testid={props.testId}>
      <thead>
        <tr>
          <th>{t('trace.kind')}</th>
          <th>{t('trace.item')}</th>
          <th>{t('trace.score')}</th>
          <th>{t('trace.parts')}</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((k) => (
          <tr key={k.id} data-item={props.markRows ? k.id : undefined}>
            <td>{k.kind}</td>
            <td>{itemText(k)}</td>
            <td>{round(k.score ?? 0)}</td>
            <td className="parts">{scoreParts(k.parts)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
