import { useI18n } from '../i18n/i18n';

/**
 * Previous/next buttons over a list paged by limit/offset. `total` is undefined while the page loads
 * (next stays disabled); `showRange` adds the "from–to" text between the buttons.
 */
export function Pager({
  offset,
  pageSize,
  total,
  showRange = false,
  onOffset,
}: {
  offset: number;
  pageSize: number;
  total: number | undefined;
  showRange?: boolean;
  onOffset(offset: number): void;
}) {
  const { t } = useI18n();
  return (
    <div className="row compact">
      <button type="button" className="secondary" disabled={offset === 0} onClick={() => onOffset(offset - pageSize)}>
        {t('conversations.previous')}
      </button>
      {showRange && (
        <span className="muted">
          {total ? t('curation.range', { from: offset + 1, to: Math.min(offset + pageSize, total) }) : ''}
        </span>
      )}
      <button
        type="button"
        className="secondary"
        disabled={total === undefined || offset + pageSize >= total}
        onClick={() => onOffset(offset + pageSize)}
      >
        {t('conversations.next')}
      </button>
    </div>
  );
}
