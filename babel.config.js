// Jest only (tsx and esbuild run the code elsewhere): TypeScript and the ESM-only packages
// (jose, @middy, graphql, canonicalize) become CommonJS for jest's module system. Babel, not
// swc: swc's platform binaries are not all on the registry this project installs from, which
// leaves a lock file `npm ci` refuses.
module.exports = {
  presets: [
    ['@babel/preset-env', { targets: { node: 'current' } }],
    ['@babel/preset-typescript', { allowDeclareFields: true }],
  ],
};
