// pdf.js's legacy build (for older phones' browsers) has the types of the main one; Vite's `?url` gives the address
// of the file it copies into the build.
declare module 'pdfjs-dist/legacy/build/pdf.mjs' {
  export * from 'pdfjs-dist';
}
declare module 'pdfjs-dist/legacy/build/pdf.worker.min.mjs?url' {
  const url: string;
  export default url;
}
