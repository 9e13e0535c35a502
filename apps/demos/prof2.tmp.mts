import { ops, Tensor, variableGrads, createRng } from '@notes/core-linalg';
import { makeCnn } from './src/demos/core-autodiff/mnist-cnn.ts';
const net = makeCnn(1);
const rng = createRng(1);
const x = Tensor.zeros([32, 1, 28, 28]);
for (let i = 0; i < x.size; i++) x.data[i] = rng.uniform() < 0.2 ? rng.uniform() : 0;
const cpu = (name: string, f: () => unknown, n = 20) => { f(); const c0 = process.cpuUsage(); for (let i = 0; i < n; i++) f(); const c = process.cpuUsage(c0); console.log(name, ((c.user + c.system) / 1000 / n).toFixed(2), 'ms cpu'); };
cpu('forward', () => net.forward(x));
cpu('fwd+bwd', () => variableGrads(() => ops.sum(net.forward(x)), net.params));
