import type { AnchorHTMLAttributes, ComponentChildren } from 'preact';
import { navigate } from '../router.ts';

/** A link the router follows without reloading the page (a modified click still opens a tab). */
export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const { href, children, ...rest } = props;
  return (
    <a
      {...rest}
      href={href}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}

export function ErrorBox({ error }: { error: string | null | undefined }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {error}
    </p>
  );
}

export function Notice({ text }: { text: string | null | undefined }) {
  if (!text) return null;
  return (
    <p class="notice" role="status">
      {text}
    </p>
  );
}

export function Loading({ when }: { when: boolean }) {
  return when ? (
    <p class="muted" aria-live="polite">
      Loading…
    </p>
  ) : null;
}

export function Section({
  title,
  children,
  actions,
}: {
  title: string;
  children: ComponentChildren;
  actions?: ComponentChildren;
}) {
  return (
    <section class="card" aria-label={title}>
      <header class="card-head">
        <h2>{title}</h2>
        {actions ? <div class="actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}

export function Field({
  label,
  children,
  hint,
}: {
  label: string;
  children: ComponentChildren;
  hint?: string;
}) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child passed in
    <label class="field">
      <span class="label">{label}</span>
      {children}
      {hint ? <span class="hint">{hint}</span> : null}
    </label>
  );
}

export function Pager({
  offset,
  limit,
  total,
  count,
  onOffset,
}: {
  offset: number;
  limit: number;
  total?: number;
  count: number;
  onOffset: (o: number) => void;
}) {
  const end = offset + count;
  return (
    <nav class="pager" aria-label="Pages">
      <button
        type="button"
        disabled={offset === 0}
        onClick={() => onOffset(Math.max(0, offset - limit))}
      >
        ← Previous
      </button>
      <span>
        {count === 0 ? 'none' : `${offset + 1}–${end}`}
        {total !== undefined ? ` of ${total}` : ''}
      </span>
      <button
        type="button"
        disabled={total !== undefined ? end >= total : count < limit}
        onClick={() => onOffset(offset + limit)}
      >
        Next →
      </button>
    </nav>
  );
}

export function StateBadge({ state }: { state: string }) {
  return <span class={`badge state-${state.replace(/[^a-z-]/g, '')}`}>{state}</span>;
}
