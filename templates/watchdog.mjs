// A page that cannot start says why, and never shows "Loading…" forever. Whatever stops
// the start (a failed step, an error the page did not catch, or nothing happening for
// `stallMs`), the site's files are checked (`diagnose`) and the first broken one named;
// when none is and nothing happens for `giveUpMs`, the page gives up with the stage it
// stopped at. `touch()` marks progress; `fail(error)` ends the page's start.
export function watchdog({ stallMs, giveUpMs, diagnose, fail, stage, now = () => performance.now() }) {
  let last = now();
  let over = false;
  let checking = null; // a diagnosis under way
  let checkedIdle = null; // the quiet spell a diagnosis already looked at
  const check = () => (checking ??= diagnose().finally(() => { checking = null; }));
  const end = (error) => {
    if (over) return;
    over = true;
    clearInterval(timer);
    fail(error);
  };
  const timer = setInterval(async () => {
    const idle = now() - last;
    if (idle > giveUpMs) end(new Error(`it stopped while ${stage()}, with no error to show; the browser's console may say more`));
    else if (idle > stallMs && checkedIdle !== last) {
      checkedIdle = last;
      const broken = await check();
      if (broken) end(broken);
    }
  }, Math.min(1000, stallMs / 2));
  return {
    touch() {
      last = now();
    },
    // An error on the way to ready: the broken file behind it if there is one, else the error.
    async explain(error) {
      return (await check()) ?? error;
    },
    // An error nobody caught: it ends the start only when a file is broken.
    async suspect() {
      if (over) return;
      const broken = await check();
      if (broken) end(broken);
    },
    stop() {
      over = true;
      clearInterval(timer);
    },
  };
}
