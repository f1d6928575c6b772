// Preloaded (`node --require`) into one `senza print` run by bench/run.mjs: records each HTTP request the
// run makes (method, path, headers, body, and the request whose answer came last before it was sent: what
// it waited for, if anything) into $STUPS_BENCH_CAPTURE, for bench/print-floor.cjs to replay.
const http = require('node:http');
const { writeFileSync } = require('node:fs');

const requests = [];
let lastAnswered = -1; // the request whose response completed last
const request = http.request;
http.request = function (options, ...rest) {
  const req = request.call(this, options, ...rest);
  const record = {
    method: options.method,
    path: options.path,
    headers: { ...options.headers },
    body: '',
    after: lastAnswered,
  };
  requests.push(record);
  const write = req.write;
  const end = req.end;
  req.write = function (chunk, ...args) {
    if (chunk && typeof chunk !== 'function') record.body += chunk.toString();
    return write.call(this, chunk, ...args);
  };
  req.end = function (chunk, ...args) {
    if (chunk && typeof chunk !== 'function') record.body += chunk.toString();
    return end.call(this, chunk, ...args);
  };
  const index = requests.length - 1;
  req.on('response', (res) =>
    res.on('end', () => {
      lastAnswered = index;
    }),
  );
  return req;
};
process.on('exit', () => writeFileSync(process.env.STUPS_BENCH_CAPTURE, JSON.stringify(requests)));
