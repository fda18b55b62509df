// The pages' stylesheet goes inside each app's index.html: a linked one blocks the first paint until it arrives,
// a whole round trip after the page on a phone network, while it weighs a few kilobytes once compressed.
// The file stays in the build: the code of a page loaded later still names it, and fetches it once then.
import type { Plugin } from 'vite';

const linkTag = /<link rel="stylesheet"(?: crossorigin)? href="\/([^"]+\.css)">/g;

export function inlineStylesheets(): Plugin {
  return {
    name: 'carnet-inline-stylesheets',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      for (const html of Object.values(bundle)) {
        if (html.type !== 'asset' || !html.fileName.endsWith('.html')) continue;
        html.source = String(html.source).replace(linkTag, (tag, fileName: string) => {
          const css = bundle[fileName];
          if (css?.type !== 'asset') return tag;
          return `<style>${String(css.source).replaceAll('</style', '<\\/style')}</style>`;
        });
      }
    },
  };
}
