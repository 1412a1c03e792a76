// The official JavaScript client (@kubernetes/client-node) against DurableKube, as an application would use it:
// create, get, list by label, an informer (list then watch), a strategic merge patch, a server-side dry run, and a delete.
// Usage: node client-node.mjs <kubeconfig> <namespace> <image>
// Prints one JSON object with what it saw; exits non-zero with the reason when a step fails.
import * as k8s from '@kubernetes/client-node';

const [kubeconfig, namespace, image] = process.argv.slice(2);
if (!kubeconfig || !namespace || !image) {
  console.error('usage: node client-node.mjs <kubeconfig> <namespace> <image>');
  process.exit(2);
}

const patience = 90_000;
const kc = new k8s.KubeConfig();
kc.loadFromFile(kubeconfig);
// The kubeconfig up.sh wrote as it is: https with its CA (certificate-authority-data) and the admin's bearer token.
const core = kc.makeApiClient(k8s.CoreV1Api);
const seen = [];
let stopping = false;

async function eventually(what, check) {
  const deadline = Date.now() + patience;
  let last;
  while (Date.now() < deadline) {
    last = await check();
    if (last) {
      return last;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function main() {
  await core.createNamespace({ body: { metadata: { name: namespace } } });

  // An informer, as controllers written with this client watch: it lists, then watches from the list's resourceVersion.
  const path = `/api/v1/namespaces/${namespace}/pods`;
  const informer = k8s.makeInformer(kc, path, () => core.listNamespacedPod({ namespace }));
  informer.on('add', (pod) => seen.push(`add ${pod.metadata.name}`));
  informer.on('update', (pod) => seen.push(`update ${pod.metadata.name} ${pod.status?.phase ?? ''}`));
  informer.on('delete', (pod) => seen.push(`delete ${pod.metadata.name}`));
  // Stopping the informer aborts its watch, which it reports as an error: only errors before that count.
  informer.on('error', (err) => stopping || seen.push(`error ${err?.message ?? err}`));
  await informer.start();

  const created = await core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name: 'js-pod', labels: { app: 'js' } },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'app', image, command: ['sleep', '3600'] }],
      },
    },
  });

  // A server-side dry run is validated and defaulted but not stored.
  const dryRun = await core.createNamespacedPod({
    namespace,
    dryRun: 'All',
    body: { metadata: { name: 'js-dry' }, spec: { containers: [{ name: 'app', image, command: ['true'] }] } },
  });

  const running = await eventually('js-pod to run', async () => {
    const pod = await core.readNamespacedPod({ name: 'js-pod', namespace });
    return pod.status?.phase === 'Running' ? pod : undefined;
  });

  const labelled = await core.listNamespacedPod({ namespace, labelSelector: 'app=js' });
  const none = await core.listNamespacedPod({ namespace, labelSelector: 'app=other' });

  const patched = await core.patchNamespacedPod(
    { name: 'js-pod', namespace, body: { metadata: { labels: { patched: 'yes' } } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
  );

  let refused;
  try {
    await core.createNamespacedPod({ namespace, body: { metadata: { name: 'js-pod' }, spec: { containers: [{ name: 'app', image }] } } });
  } catch (e) {
    refused = { code: e.code, reason: JSON.parse(e.body).reason };
  }

  await core.deleteNamespacedPod({ name: 'js-pod', namespace });
  await eventually('js-pod to be gone', async () => {
    const list = await core.listNamespacedPod({ namespace });
    return list.items.length === 0;
  });
  await eventually('the informer to see the delete', async () => seen.includes('delete js-pod'));
  stopping = true;
  await informer.stop();

  return {
    createdUid: created.metadata.uid,
    dryRunStored: (await core.listNamespacedPod({ namespace, fieldSelector: 'metadata.name=js-dry' })).items.length,
    dryRunDefaultedPolicy: dryRun.spec.restartPolicy,
    runningNode: running.spec.nodeName,
    labelled: labelled.items.map((p) => p.metadata.name),
    unlabelled: none.items.length,
    patchedLabels: patched.metadata.labels,
    refused,
    informerSawAdd: seen.includes('add js-pod'),
    informerSawRunning: seen.some((s) => s === 'update js-pod Running'),
    informerSawDelete: seen.includes('delete js-pod'),
    informerErrors: seen.filter((s) => s.startsWith('error')),
  };
}

try {
  console.log(JSON.stringify(await main()));
} catch (e) {
  console.error(`client-node: ${e?.stack ?? e}; body: ${e?.body ?? ''}; seen: ${seen.join(', ')}`);
  process.exit(1);
}
