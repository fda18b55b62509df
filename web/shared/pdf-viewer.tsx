import { useEffect, useRef, useState } from 'react';
import type * as PdfjsModule from 'pdfjs-dist';
import type { PDFDocumentProxy } from 'pdfjs-dist';

/**
 * A PDF drawn into the page, page by page, fitted to the width: phones' browsers show a PDF in a frame as an
 * empty box (or its first page only), so the pages are drawn with pdf.js instead. pdf.js (its legacy build, for
 * older phones) and its worker are loaded only when a PDF is shown; the worker is a file of our own origin, as the
 * Content-Security-Policy wants. « Ouvrir » and « Télécharger » are always there: the browser's own reader, where
 * the text can be selected and read aloud, and the file itself.
 */

type Pdfjs = typeof PdfjsModule;

let loading: Promise<Pdfjs> | undefined;

function loadPdfjs(): Promise<Pdfjs> {
  loading ??= Promise.all([
    import('pdfjs-dist/legacy/build/pdf.mjs'),
    import('pdfjs-dist/legacy/build/pdf.worker.min.mjs?url'),
  ]).then(([pdfjs, worker]) => {
    pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
    return pdfjs;
  });
  // A failed load (network lost) is tried again by the next viewer.
  loading.catch(() => (loading = undefined));
  return loading;
}

/** Beyond this, the pages are not drawn in the page: the reader opens the file. */
const MAX_PAGES = 60;

type State =
  | { readonly status: 'loading' }
  | { readonly status: 'failed' }
  | { readonly status: 'shown'; readonly pdf: PDFDocumentProxy; readonly drawn: number };

export function PdfViewer({
  url,
  downloadUrl,
  title,
}: {
  /** The PDF's address (same origin, the session's cookie goes with it). */
  url: string;
  downloadUrl: string;
  /** What the PDF is, for the pages' text alternative. */
  title: string;
}) {
  const [state, setState] = useState<State>({ status: 'loading' });
  const pagesRef = useRef<HTMLDivElement>(null);
  const pdf = state.status === 'shown' ? state.pdf : undefined;
  // The viewer's width: the pages are drawn again when it changes much (a phone turned sideways).
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = pagesRef.current;
    if (!element) return;
    setWidth(Math.round(element.clientWidth) || 600);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      const next = Math.round(entry?.contentRect.width ?? 0);
      setWidth((current) => (Math.abs(next - current) > 40 ? next : current));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // The file, read with the session's cookie, then opened by pdf.js.
  useEffect(() => {
    let cancelled = false;
    let opened: PDFDocumentProxy | undefined;
    setState({ status: 'loading' });
    Promise.all([
      loadPdfjs(),
      fetch(url, { credentials: 'same-origin' }).then((r) =>
        r.ok ? r.arrayBuffer() : Promise.reject(new Error(`HTTP ${r.status}`)),
      ),
    ])
      // No `eval` (the CSP forbids it).
      .then(([pdfjs, bytes]) =>
        cancelled
          ? undefined
          : pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false }).promise,
      )
      .then((doc) => {
        opened = doc;
        if (doc && !cancelled) setState({ status: 'shown', pdf: doc, drawn: 0 });
      })
      .catch(() => {
        if (!cancelled) setState({ status: 'failed' });
      });
    return () => {
      cancelled = true;
      void opened?.destroy();
    };
  }, [url]);

  // Page 1 first, then the next ones, each as wide as the viewer.
  useEffect(() => {
    if (!pdf || width === 0) return;
    let cancelled = false;
    let rendering: { cancel(): void } | undefined;
    (async () => {
      for (let number = 1; number <= Math.min(pdf.numPages, MAX_PAGES); number++) {
        const page = await pdf.getPage(number);
        const canvas = pagesRef.current?.querySelector<HTMLCanvasElement>(`canvas[data-page="${number}"]`);
        if (cancelled || !canvas) return;
        const fit = canvas.parentElement?.clientWidth || width;
        const base = page.getViewport({ scale: 1 });
        // Sharp on high-density screens, within a phone's memory (at most twice the CSS pixels).
        const density = Math.min(window.devicePixelRatio || 1, 2);
        const viewport = page.getViewport({ scale: (fit / base.width) * density });
        canvas.width = Math.floor(viewport.width);
        canvas.height = Math.floor(viewport.height);
        const task = page.render({ canvas, viewport });
        rendering = task;
        await task.promise;
        page.cleanup();
        if (cancelled) return;
        setState((s) => (s.status === 'shown' && s.pdf === pdf ? { ...s, drawn: number } : s));
      }
    })().catch(() => {
      if (!cancelled) setState((s) => (s.status === 'shown' && s.pdf === pdf ? { status: 'failed' } : s));
    });
    return () => {
      cancelled = true;
      rendering?.cancel();
    };
  }, [pdf, width]);

  const pages = pdf?.numPages ?? 0;
  const shown = Math.min(pages, MAX_PAGES);
  const drawn = state.status === 'shown' ? state.drawn : 0;
  return (
    <div className="pdf-viewer">
      {state.status === 'loading' && (
        <p className="loading" role="status">
          Chargement du document…
        </p>
      )}
      {state.status === 'failed' && (
        <p className="alert" role="alert">
          Le document n’a pas pu être affiché dans la page. Ouvrez-le ou téléchargez-le avec les boutons
          ci-dessous.
        </p>
      )}
      {pdf && (
        <p className="hint" role="status">
          {drawn < shown
            ? `Affichage des pages… (${drawn} sur ${pages})`
            : pages === 1
              ? 'Document d’une page.'
              : `Document de ${pages} pages.`}
          {pages > MAX_PAGES && ` Seules les ${MAX_PAGES} premières sont affichées ici.`}
        </p>
      )}
      <div ref={pagesRef} className="pdf-pages">
        {Array.from({ length: shown }, (_, i) => (
          <figure key={i} className="pdf-page">
            <canvas data-page={i + 1} role="img" aria-label={`${title}, page ${i + 1} sur ${pages}`} />
            <figcaption className="hint">
              Page {i + 1} sur {pages}
            </figcaption>
          </figure>
        ))}
      </div>
      <p className="actions">
        <a className="button-secondary" href={url} target="_blank" rel="noopener">
          Ouvrir le document<span className="visually-hidden"> (nouvel onglet)</span>
        </a>
        <a className="button-secondary" href={downloadUrl} download>
          Télécharger le document
        </a>
      </p>
    </div>
  );
}
