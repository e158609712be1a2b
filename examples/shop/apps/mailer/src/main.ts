// A TypeScript app with a build step; TypeScript itself must not reach its image.
declare const process: { getuid(): number };

const queue: string[] = ['welcome', 'receipt'];
console.log(`mailer: ${queue.length} templates ready (uid ${process.getuid()})`);
