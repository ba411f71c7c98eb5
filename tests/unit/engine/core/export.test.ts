import { describe, expect, it } from 'vitest';
import { Graph, exportOnnx } from '../../../../src/engine/index.ts';
import { ModelProto } from '../../../../src/engine/onnx/schema.ts';
import { makeRng, randomInput, runOnOrt } from './helpers.ts';

interface DecodedModel {
  irVersion: string;
  opsetImport: { domain?: string; version: string }[];
  graph: {
    node: { opType: string; input: string[]; output: string[] }[];
    initializer: { name: string }[];
    input: {
      name: string;
      type: { tensorType: { shape: { dim: { dimValue?: string; dimParam?: string }[] } } };
    }[];
    output: { name: string }[];
  };
}

function decode(g: Graph): DecodedModel {
  return ModelProto.toObject(ModelProto.decode(exportOnnx(g)), { longs: String }) as DecodedModel;
}

describe('ONNX export', () => {
  it('writes opset 20 / IR 9 and symbolic dims as dim_param', () => {
    const g = new Graph();
    const ids = g.input('input_ids', 'int32', ['batch', 'seq']);
    g.output('y', g.cast(ids, 'float32'));
    const m = decode(g);
    expect(m.irVersion).toBe('9');
    expect(m.opsetImport.map((o) => [o.domain ?? '', o.version])).toEqual([['', '20']]);
    expect(m.graph.input[0]!.type.tensorType.shape.dim).toEqual([{ dimParam: 'batch' }, { dimParam: 'seq' }]);
  });

  it('keeps caller output names, and emits Identity for an input or a tensor exported twice', async () => {
    const g = new Graph();
    const x = g.input('x', 'float32', [2]);
    const y = g.exp(x);
    g.output('present.0.key', y);
    g.output('again', y);
    g.output('echo', x);
    const m = decode(g);
    expect(m.graph.output.map((o) => o.name)).toEqual(['present.0.key', 'again', 'echo']);
    expect(m.graph.node.map((n) => n.opType)).toEqual(['Exp', 'Identity', 'Identity']);
    const out = await runOnOrt(g, { x: randomInput({ dtype: 'float32', shape: [2] }, makeRng(1)) });
    expect(Array.from(out.again!.data)).toEqual(Array.from(out['present.0.key']!.data));
  });

  it('emits only what the outputs need: no dead nodes, no unused initializers', () => {
    const g = new Graph();
    const x = g.input('x', 'float32', [2, 2]);
    const unusedWeight = g.initializer('unused', 'float32', [2, 2], new Float32Array(4));
    g.matmul(x, unusedWeight);
    g.output('y', g.mul(x, 3));
    const m = decode(g);
    expect(m.graph.node.map((n) => n.opType)).toEqual(['Mul']);
    expect(m.graph.initializer.map((i) => i.name)).not.toContain('unused');
  });

  it('emits a common subexpression once', () => {
    const g = new Graph();
    const x = g.input('x', 'float32', [2, 3]);
    const a = g.transpose(x, [1, 0]);
    const b = g.transpose(x, [1, 0]);
    g.output('y', g.add(g.exp(a), g.exp(b)));
    expect(decode(g).graph.node.map((n) => n.opType)).toEqual(['Transpose', 'Exp', 'Add']);
  });

  it('shares scalar constants and skips identity arithmetic', () => {
    const g = new Graph();
    const x = g.input('x', 'float32', [3]);
    const y = g.add(g.mul(g.add(x, 0.5), 1), g.mul(g.sub(x, 0), 0.5));
    g.output('y', g.div(y, 1));
    const m = decode(g);
    expect(m.graph.node.map((n) => n.opType)).toEqual(['Add', 'Mul', 'Add']);
    expect(m.graph.initializer.length).toBe(1);
  });
});
