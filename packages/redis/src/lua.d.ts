/** A Lua script, as the build's `.lua` loader gives it (see tsup.config.ts). */
declare module "*.lua" {
  const script: { readonly name: string; readonly source: string; readonly sha1: string };
  export default script;
}
