#!/usr/bin/python3
"""Golden values for int64/bool tensors, indexing ops and the reductions std/var/logsumexp/norm (issue 11).

    /usr/bin/python3 scripts/golden/indexing.py

writes core/src/test/resources/golden/indexing.txt in the format of golden_file.py, with the case layout
of generate.py (.in0.., .out, .gout, .gradN). int64 and bool inputs and outputs are written as float32
values (indices and 0/1); IndexingGoldenTest.java converts them back (.toLong(), .bool()) before use.
"""
import os

import torch
import torch.nn.functional as F

import golden_file
from generate import Writer, case, data, hash_name, OUT

T, Fa = True, False


def long(*rows):
    return torch.tensor(rows, dtype=torch.long)


def case_inputs_first(w, name, fn, inputs, grads):
    """As generate.case, but writes the inputs as they were before fn ran (fn may change one in place)."""
    ins = [x.clone().requires_grad_(g) for x, g in zip(inputs, grads)]
    for i, x in enumerate(ins):
        w.tensor("%s.in%d" % (name, i), x.detach().clone())
    out = fn(*ins)
    gout = data(hash_name(name) + 7, *out.shape, lo=-1.0, hi=1.0)
    out.backward(gout)
    w.tensor(name + ".out", out)
    w.tensor(name + ".gout", gout)
    for i, x in enumerate(ins):
        if grads[i]:
            w.tensor("%s.grad%d" % (name, i), x.grad if x.grad is not None else torch.zeros_like(x))


def main():
    w = Writer("indexing.txt", "int64/bool tensors, indexing with gradients, std/var/logsumexp/norm "
                               "(see indexing.py; int64 and bool values are written as floats).")
    x34 = data(101, 3, 4)
    x45 = data(102, 4, 5)
    # gather / scatter / scatter_add: repeated indices included where PyTorch defines the result
    case(w, "gather_dim1", lambda x, i: torch.gather(x, 1, i), [x34, long([0, 3], [1, 1], [2, 0])], [T, Fa])
    case(w, "gather_dim0", lambda x, i: torch.gather(x, 0, i), [x34, long([2, 0, 1, 2], [0, 0, 2, 1])], [T, Fa])
    case(w, "gather_neg_dim", lambda x, i: torch.gather(x, -1, i), [data(103, 2, 3, 4), torch.tensor(
        [[[3, 0], [1, 1], [2, 2]], [[0, 0], [3, 1], [1, 2]]])], [T, Fa])
    case(w, "scatter_dim1", lambda s, i, src: s.scatter(1, i, src),
         [data(104, 3, 5), long([0, 4], [2, 1], [3, 0]), data(105, 3, 2)], [T, Fa, T])
    case(w, "scatter_value", lambda s, i: s.scatter(0, i, 2.5), [x34, long([2, 0, 1, 2])], [T, Fa])
    case(w, "scatter_add_dim0", lambda s, i, src: s.scatter_add(0, i, src),
         [x34, long([2, 0, 2, 1], [2, 2, 0, 1]), data(106, 2, 4)], [T, Fa, T])
    case(w, "scatter_add_src_larger", lambda s, i, src: s.scatter_add(1, i, src),
         [x34, long([0, 0, 3], [1, 2, 1]), data(107, 3, 5)], [T, Fa, Fa])  # PyTorch has no src gradient here
    # index_select / index_add
    case(w, "index_select_dim0", lambda x, i: x.index_select(0, i), [x45, torch.tensor([2, 0, 2, 3])], [T, Fa])
    case(w, "index_select_dim1", lambda x, i: x.index_select(1, i), [x45, torch.tensor([4, 1])], [T, Fa])
    case(w, "index_add_dim0", lambda x, i, s: x.index_add(0, i, s),
         [x45, torch.tensor([3, 0, 3]), data(108, 3, 5)], [T, Fa, T])
    # masks
    m4 = torch.tensor([True, False, False, True])
    m34 = data(109, 3, 4) > 0
    case(w, "masked_fill_bcast", lambda x, m: x.masked_fill(m, -1.5), [x34, m4], [T, Fa])
    case(w, "masked_select", lambda x, m: x.masked_select(m), [x34, m34], [T, Fa])
    case(w, "masked_select_bcast", lambda x, m: x.masked_select(m), [x34, m4], [T, Fa])
    case(w, "masked_scatter", lambda x, m, s: x.masked_scatter(m, s), [x34, m34, data(110, 12)], [T, Fa, T])
    case(w, "bool_index_rows", lambda x, m: x[m], [x34, torch.tensor([True, False, True])], [T, Fa])
    case(w, "bool_index_full", lambda x, m: x[m], [x34, m34], [T, Fa])
    case(w, "int_index", lambda x, i: x[i], [x45, long([0, 2], [3, 3])], [T, Fa])
    case(w, "nonzero", lambda x: torch.nonzero(x), [torch.tensor([[1.0, 0.0, 2.0], [0.0, 0.0, -1.0]])], [Fa])
    case(w, "where_bool", lambda m, x, y: torch.where(m, x, y), [m34, x34, data(111, 1, 4)], [Fa, T, T])
    case(w, "eq_sum", lambda a, b: (a == b).sum(), [long(1, 2, 3, 4), long(1, 0, 3, 4)], [Fa, Fa])
    case(w, "one_hot", lambda i: F.one_hot(i, 5), [long(0, 3, 1, 4)], [Fa])
    case(w, "one_hot_infer", lambda i: F.one_hot(i), [long([0, 2], [1, 1])], [Fa])
    # sort / topk: distinct values (PyTorch's order among ties is not specified)
    case(w, "topk_largest", lambda x: x.topk(2, 1).values, [x45], [T])
    case(w, "topk_largest_indices", lambda x: x.topk(2, 1).indices, [x45], [Fa])
    case(w, "topk_smallest_dim0", lambda x: x.topk(3, 0, largest=False).values, [x45], [T])
    case(w, "topk_smallest_dim0_indices", lambda x: x.topk(3, 0, largest=False).indices, [x45], [Fa])
    case(w, "sort_dim1", lambda x: x.sort(1).values, [x45], [T])
    case(w, "sort_desc_dim0", lambda x: x.sort(0, descending=True).values, [x45], [T])
    case(w, "sort_desc_dim0_indices", lambda x: x.sort(0, descending=True).indices, [x45], [Fa])
    case(w, "argsort_dim1", lambda x: x.argsort(1), [x45], [Fa])
    case(w, "cumsum_dim0", lambda x: x.cumsum(0), [x34], [T])
    case(w, "cumsum_dim2", lambda x: x.cumsum(2), [data(112, 2, 3, 4)], [T])
    case(w, "cumsum_long", lambda x: x.cumsum(1), [long([1, 2, 3], [4, 5, 6])], [Fa])
    # reductions
    case(w, "std_all", lambda x: x.std(), [x34], [T])
    case(w, "std_all_biased", lambda x: x.std(unbiased=False), [x34], [T])
    case(w, "std_dim1", lambda x: x.std(1), [x34], [T])
    case(w, "std_dim0_biased_keep", lambda x: x.std(0, unbiased=False, keepdim=True), [x34], [T])
    case(w, "std_correction2_dims01", lambda x: torch.std(x, dim=(0, 1), correction=2), [data(113, 3, 4, 2)], [T])
    case(w, "std_zero", lambda x: x.std(1), [torch.tensor([[1.5, 1.5, 1.5], [0.0, 1.0, 2.0]])], [T])
    case(w, "var_all", lambda x: x.var(), [x34], [T])
    case(w, "var_all_biased", lambda x: x.var(unbiased=False), [x34], [T])
    case(w, "logsumexp_dim1", lambda x: x.logsumexp(1), [data(114, 3, 4, lo=-20.0, hi=20.0)], [T])
    case(w, "logsumexp_dims02_keep", lambda x: x.logsumexp((0, 2), keepdim=True), [data(115, 2, 3, 4)], [T])
    case(w, "logsumexp_big", lambda x: x.logsumexp(0), [torch.tensor([100.0, 101.0, -float("inf")])], [T])
    case(w, "norm_all", lambda x: x.norm(), [x34], [T])
    case(w, "norm_p1", lambda x: x.norm(p=1), [x34], [T])
    case(w, "norm_p3", lambda x: x.norm(p=3), [x34], [T])
    case(w, "norm_inf", lambda x: x.norm(p=float("inf")), [x34], [T])
    case(w, "norm_inf_ties", lambda x: x.norm(p=float("inf")), [torch.tensor([2.0, -2.0, 1.0, 2.0])], [T])
    case(w, "norm_neg_inf_dim1", lambda x: x.norm(p=float("-inf"), dim=1), [x34], [T])
    case(w, "norm_dim1_keep", lambda x: x.norm(dim=1, keepdim=True), [x34], [T])
    case(w, "norm_zero_row", lambda x: x.norm(dim=1), [torch.tensor([[0.0, 0.0], [3.0, -4.0]])], [T])
    case(w, "norm_p0_dim1", lambda x: x.norm(p=0, dim=1), [torch.tensor([[0.0, 1.5, 0.0], [3.0, -4.0, 0.5]])], [T])
    case(w, "max_all_ties_split", lambda x: x.max(), [torch.tensor([[1.0, 3.0], [3.0, 3.0]])], [T])
    case(w, "min_all_ties_split", lambda x: x.min(), [torch.tensor([-1.0, 2.0, -1.0])], [T])
    # embedding
    case(w, "embedding", lambda i, wt: F.embedding(i, wt), [long([0, 4, 2], [2, 2, 1]), data(116, 5, 3)], [Fa, T])
    case(w, "embedding_padding", lambda i, wt: F.embedding(i, wt, padding_idx=2),
         [long([0, 4, 2], [2, 2, 1]), data(116, 5, 3)], [Fa, T])
    case(w, "embedding_padding_neg", lambda i, wt: F.embedding(i, wt, padding_idx=-1),
         [long(4, 0, 4), data(117, 5, 3)], [Fa, T])
    # max_norm renormalises the looked-up rows in place (no gradient): the output holds the lookup and then the
    # weight as it is afterwards, so both are compared; the inputs are written before the call.
    case_inputs_first(w, "embedding_max_norm", lambda i, wt: torch.cat(
        [F.embedding(i, wt, max_norm=0.8).flatten(), wt.flatten()]),
        [long([0, 4, 2], [2, 2, 1]), data(118, 5, 3)], [Fa, T])
    case_inputs_first(w, "embedding_max_norm_p1_padding", lambda i, wt: torch.cat(
        [F.embedding(i, wt, padding_idx=1, max_norm=1.1, norm_type=1.0).flatten(), wt.flatten()]),
        [long(3, 1, 0, 3), data(119, 4, 3)], [Fa, T])
    case(w, "embedding_scale_grad_by_freq", lambda i, wt: F.embedding(i, wt, padding_idx=2, scale_grad_by_freq=True),
         [long([0, 4, 2], [4, 4, 1]), data(120, 5, 3)], [Fa, T])
    w.close()


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    main()
