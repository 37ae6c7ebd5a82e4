/** The style sheet is bundled by esbuild into app.css beside the script. */
declare module '*.css';
