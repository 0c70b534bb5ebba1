// Independent TUF client for the interop tests: tuf-js 5.x (installed by the test into target/).
// Usage: node tuf-client.js REPO_URL METADATA_DIR TARGET_DIR TARGET_PATH [FETCH_TIMEOUT_MS]
// Prints one JSON line: {"ok":true,"file":...} or {"ok":false,"error":NAME,"message":...}; exit 0 either way.
const { Updater } = require('tuf-js');
const [repo, metadataDir, targetDir, targetPath, timeout] = process.argv.slice(2);
(async () => {
  try {
    const updater = new Updater({
      metadataBaseUrl: repo + 'metadata',
      targetBaseUrl: repo + 'targets',
      metadataDir,
      targetDir,
      config: { fetchRetry: 0, fetchTimeout: timeout ? Number(timeout) : 100000 },
    });
    await updater.refresh();
    const info = await updater.getTargetInfo(targetPath);
    if (!info) {
      console.log(JSON.stringify({ ok: false, error: 'TargetNotFound', message: targetPath }));
      return;
    }
    const file = await updater.downloadTarget(info);
    console.log(JSON.stringify({ ok: true, file }));
  } catch (e) {
    let name = e.constructor && e.constructor.name;
    let message = String(e.message);
    console.log(JSON.stringify({ ok: false, error: name, message }));
  }
})();
