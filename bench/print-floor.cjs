// The floor under `senza print` against a local AWS (bench/run.mjs): the very requests one print run
// made (captured by bench/print-capture.cjs), replayed with node:http alone: no SDK, no definition, no
// template. A request print sent only once another's answer was in (a DescribeCertificate waits for
// ListCertificates) is sent when that answer is in here too; all others at once, as print sends them.
// What this takes beyond `node -e 0` is the server's answering time, which no client can go below.
const http = require('node:http');
const requests = require(process.argv[2]);

const url = new URL(process.env.AWS_ENDPOINT_URL);
const agent = new http.Agent({ keepAlive: true });
const answers = new Map();
const send = (r) =>
  new Promise((resolve, reject) => {
    const options = { host: url.hostname, port: url.port, method: r.method, path: r.path, headers: r.headers, agent };
    const req = http.request(options, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end(r.body || undefined);
  });
for (const [i, r] of requests.entries())
  answers.set(
    i,
    (r.after < 0 ? Promise.resolve() : answers.get(r.after)).then(() => send(r)),
  );
Promise.all(answers.values()).then(
  () => agent.destroy(),
  (e) => {
    console.error(e);
    process.exitCode = 1;
  },
);
