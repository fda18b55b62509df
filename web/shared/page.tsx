import { useEffect, useRef, type ReactNode } from 'react';

/**
 * One screen: sets the tab title and moves focus to the heading when the screen changes, so that
 * keyboard and screen-reader users start reading the new content.
 */
export function Page({ title, app, children }: { title: string; app: string; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} – ${app}`;
    heading.current?.focus();
  }, [title, app]);
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title" ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </section>
  );
}

export function Loading() {
  return (
    <p className="loading" role="status">
      Chargement…
    </p>
  );
}
