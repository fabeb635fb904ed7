import { reviewTurnSchema, validate, ValidationError } from '@zhibing/protocol';
import { type FormEvent, useState } from 'react';
import { api, ApiError } from '../../api/api-client';
import type { TurnReview } from '../../api/admin-types';
import { useI18n } from '../../i18n/i18n';

/** A reviewer's thumb, stars and note on one reply, saved with PUT …/turns/:seq/review (a new review replaces the old). */
export function ReviewForm({
  conversationId,
  seq,
  review,
  onSaved,
}: {
  conversationId: string;
  seq: number;
  review: TurnReview | null;
  onSaved(review: TurnReview): void;
}) {
  const { t } = useI18n();
  const [thumb, setThumb] = useState<'up' | 'down' | null>(review?.thumb ?? null);
  const [stars, setStars] = useState<number | null>(review?.stars ?? null);
  const [note, setNote] = useState(review?.note ?? '');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const body = validate(reviewTurnSchema, { thumb, stars, note });
      const saved = await api<TurnReview>(
        'PUT',
        `/v1/conversations/${encodeURIComponent(conversationId)}/turns/${seq}/review`,
        body,
      );
      setMessage({ ok: true, text: t('review.saved') });
      onSaved(saved);
    } catch (error) {
      const issues = error instanceof ValidationError || error instanceof ApiError ? error.issues : [];
      setMessage({
        ok: false,
        text: issues.length ? issues.map((i) => i.message).join('; ') : (error as Error).message,
      });
    }
  };

  return (
    <form className="review" onSubmit={save} noValidate data-review={seq}>
      <button
        type="button"
        className={thumb === 'up' ? 'thumb active' : 'thumb'}
        aria-pressed={thumb === 'up'}
        title={t('review.up')}
        onClick={() => setThumb(thumb === 'up' ? null : 'up')}
      >
        ▲
      </button>
      <button
        type="button"
        className={thumb === 'down' ? 'thumb active' : 'thumb'}
        aria-pressed={thumb === 'down'}
        title={t('review.down')}
        onClick={() => setThumb(thumb === 'down' ? null : 'down')}
      >
        ▼
      </button>
      <span className="stars" role="radiogroup" aria-label={t('review.stars')}>
        {[1, 2, 3, 4, 5].map((n) => (
          <button
            key={n}
            type="button"
            role="radio"
            aria-checked={stars === n}
            aria-label={t('review.starN', { n })}
            className={stars !== null && n <= stars ? 'star on' : 'star'}
            onClick={() => setStars(stars === n ? null : n)}
          >
            ★
          </button>
        ))}
      </span>
      <input
        name="note"
        placeholder={t('review.note')}
        value={note}
        maxLength={4000}
        onChange={(e) => setNote(e.target.value)}
      />
      <button type="submit" className="secondary">
        {t('review.save')}
      </button>
      {message && (
        <span className={message.ok ? 'ok' : 'error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </span>
      )}
    </form>
  );
}
