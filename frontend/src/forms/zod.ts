import { z } from 'zod';

// zod compiles object parsers with `new Function` when it may, and finds out
// whether it may by calling it: under the page's Content-Security-Policy (no
// 'unsafe-eval') that probe is a CSP violation in the console of every page
// with a form. Parsing without compiling is as fast as these forms need.
// Forms import z from here, so no schema parses before this is set.
z.config({ jitless: true });

export { z };
