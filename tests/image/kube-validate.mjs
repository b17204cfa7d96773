// Validates generated kubernetes.yaml files against the Kubernetes schemas (npm kubernetes-models, installed by
// tests/image/kube-tests.sh into a temp folder) and checks the hardening rules field by field.
// Usage: node kube-validate.mjs EXPECT_JSON FILE  (EXPECT_JSON: {"kind","name","uid","gid","gpus","readiness","liveness","port"})
// Prints "ok: ..." lines and one "FAIL ..." line per broken rule; exits 1 on any failure.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
// kubernetes-models is ESM-only and lives in the test's temp folder, not beside this script: import it by file URL.
const modules = process.env.KUBE_MODELS_DIR + '/node_modules/';
const yaml = createRequire(modules)('js-yaml');
const { Deployment } = await import(pathToFileURL(modules + 'kubernetes-models/apps/v1/index.js'));
const { Service, Pod } = await import(pathToFileURL(modules + 'kubernetes-models/v1/index.js'));

const expect = JSON.parse(process.argv[2]);
const docs = yaml.loadAll(readFileSync(process.argv[3], 'utf8')).filter(Boolean);
let failed = 0;
const ok = (cond, what) => { if (cond) console.log('ok: ' + what); else { failed++; console.log('FAIL ' + what); } };
const validate = (what, make) => {
  try { make().validate(); ok(true, what + ' passes the Kubernetes schema'); }
  catch (e) { ok(false, what + ' passes the Kubernetes schema: ' + (e.message || e)); }
};

function hardened(pod, container, where) {
  const psc = pod.securityContext || {}, csc = container.securityContext || {};
  ok(pod.automountServiceAccountToken === false, where + ': automountServiceAccountToken false');
  ok(psc.runAsNonRoot === true && csc.runAsNonRoot === true, where + ': runAsNonRoot');
  ok(psc.runAsUser === expect.uid && csc.runAsUser === expect.uid, where + ': runAsUser ' + expect.uid);
  ok(psc.runAsGroup === expect.gid && csc.runAsGroup === expect.gid, where + ': runAsGroup ' + expect.gid);
  ok(csc.allowPrivilegeEscalation === false, where + ': allowPrivilegeEscalation false');
  ok(csc.readOnlyRootFilesystem === true, where + ': readOnlyRootFilesystem');
  ok(JSON.stringify(csc.capabilities) === '{"drop":["ALL"]}', where + ': capabilities.drop [ALL]');
  ok((psc.seccompProfile || {}).type === 'RuntimeDefault', where + ': seccompProfile RuntimeDefault');
  const mount = (container.volumeMounts || []).find(m => m.mountPath === '/tmp');
  const volume = mount && (pod.volumes || []).find(v => v.name === mount.name);
  ok(volume && volume.emptyDir, where + ': emptyDir at /tmp');
  const limits = (container.resources || {}).limits || {}, requests = (container.resources || {}).requests || {};
  ok(!('nvidia.com/gpu' in requests), where + ': no GPU in requests');
  ok(expect.gpus ? String(limits['nvidia.com/gpu']) === String(expect.gpus) : !('nvidia.com/gpu' in limits),
    where + (expect.gpus ? ': nvidia.com/gpu ' + expect.gpus + ' in limits' : ': no GPU asked for'));
  const probe = (p, path) => p && p.httpGet && p.httpGet.path === path && Number(p.httpGet.port) === expect.port;
  ok(probe(container.readinessProbe, expect.readiness), where + ': readiness on ' + expect.readiness + ':' + expect.port);
  ok(probe(container.livenessProbe, expect.liveness), where + ': liveness on ' + expect.liveness + ':' + expect.port);
  ok((container.ports || []).some(p => p.containerPort === expect.port), where + ': container port ' + expect.port);
}

const dns1123 = n => typeof n === 'string' && n.length <= 63 && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(n);
if (expect.kind === 'Deployment') {
  ok(docs.length === 2 && docs[0].kind === 'Deployment' && docs[1].kind === 'Service', 'a Deployment and a Service');
  const [d, s] = docs;
  validate('Deployment', () => new Deployment(d));
  validate('Service', () => new Service(s));
  ok(d.metadata.name === expect.name && s.metadata.name === expect.name && dns1123(expect.name), 'names ' + expect.name + ' (DNS-1123)');
  ok(d.metadata.labels['app.kubernetes.io/name'] === expect.name && d.metadata.labels['app.kubernetes.io/managed-by'] === 'ContainerSdk', 'app.kubernetes.io labels');
  ok(s.spec.type === 'ClusterIP' && s.spec.ports[0].port === expect.port, 'ClusterIP Service on ' + expect.port);
  ok(Object.entries(d.spec.selector.matchLabels).every(([k, v]) => d.spec.template.metadata.labels[k] === v && s.spec.selector[k] === v), 'selectors match the pod labels');
  hardened(d.spec.template.spec, d.spec.template.spec.containers[0], 'Deployment');
} else {
  ok(docs.length === 1 && docs[0].apiVersion === 'serving.kserve.io/v1beta1' && docs[0].kind === 'InferenceService', 'one KServe v1beta1 InferenceService');
  const isvc = docs[0];
  ok(isvc.metadata.name === expect.name && dns1123(expect.name), 'name ' + expect.name + ' (DNS-1123)');
  const { minReplicas, maxReplicas, ...podSpec } = isvc.spec.predictor;
  validate('KServe predictor (as a Pod spec)', () => new Pod({ apiVersion: 'v1', kind: 'Pod', metadata: { name: isvc.metadata.name }, spec: podSpec }));
  ok(podSpec.containers.length === 1 && podSpec.containers[0].name === 'kserve-container', 'predictor container kserve-container');
  hardened(podSpec, podSpec.containers[0], 'predictor');
}
console.log(failed ? `kube-validate: ${failed} failed` : 'kube-validate: all ok');
process.exit(failed ? 1 : 0);
