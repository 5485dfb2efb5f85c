/** stylesheets are bundled by vite */
declare module '*.css';
