// apache-md5 ships no types: its one export, as this package uses it.
declare module 'apache-md5' {
  /** The `$apr1$` (or `$1$`) crypt of `password`, with the salt of `salt` (a full hash may be given). */
  function md5(password: string, salt?: string): string;
  export = md5;
}
