#!/usr/bin/python3
"""Golden values for in-place ops on views of tensors that require grad (PyTorch's CopySlices).

    /usr/bin/python3 scripts/golden/views.py

writes core/src/test/resources/golden/views.txt in the format of golden_file.py, with the case layout of
generate.py (.in0.., .out, .gout, .gradN). Each case changes a view of an intermediate (or of a fresh
buffer) in place and returns the base, or something read from it and from an older view; ViewsGoldenTest
runs the same steps with Linea's view ops (select/slice/narrow/t/permute) and in-place ops.
"""
import torch

from generate import Writer, case, data

T, Fa = True, False


def select_mul(x):
    y = x * 2
    y[0].mul_(3)
    return y


def narrow_zero(x):
    y = x * 1.5
    y.narrow(1, 0, 2).zero_()
    return y


def slice_add(x, z):
    y = x * 2
    y[:, 1:3].add_(z, alpha=0.5)
    return y


def step_slice_mul(x, w):
    y = x * x
    y[:, ::2].mul_(w)
    return y


def transpose_add(x, w):
    y = x * 2
    y.t().add_(w)
    return y


def view_of_view_mul(x, w):
    y = x * 2
    y[1:3].t()[0].mul_(w)
    return y


def permute_fill(x):
    y = x * 3
    y.permute(2, 0, 1)[1].fill_(0.5)
    return y


def two_views(x, w, z):
    y = x * 2
    a = y[0]
    b = y[:, 1]
    a.mul_(w)
    b.add_(z)
    return y * a  # a was changed again (through b) after its own op: read through its regenerated history


def base_then_old_view(x, w):
    y = x * 2
    a = y[1]
    y.mul_(w)
    return a * 3


def buf_copy(w, v):
    buf = torch.zeros(4, 3)
    buf[1].copy_(w)
    buf[3].copy_(v * 2)
    return buf


def copy_into_view(x, w):
    y = x * x + 1
    y[0].copy_(w)
    return y * x


def setitem_column(h, v):
    h = h * 1
    h[:, 0] = v
    return h


def slice_sub(x, z):
    y = x * 2
    y[:, 1:3].sub_(z, alpha=1.5)
    return y


def column_div(x, d):
    y = x * x
    y[:, 0].div_(d)
    y[1].div_(4.0)
    return y


def main():
    w = Writer("views.txt", "In-place ops on views of tensors that require grad (see views.py; PyTorch's CopySlices).")
    x34 = data(301, 3, 4)
    case(w, "select_mul", select_mul, [x34], [T])
    case(w, "narrow_zero", narrow_zero, [x34], [T])
    case(w, "slice_add", slice_add, [x34, data(302, 3, 2)], [T, T])
    case(w, "step_slice_mul", step_slice_mul, [x34, data(303, 1, 2)], [T, T])
    case(w, "transpose_add", transpose_add, [x34, data(304, 4, 1)], [T, T])
    case(w, "view_of_view_mul", view_of_view_mul, [data(305, 4, 3), data(306, 2)], [T, T])
    case(w, "permute_fill", permute_fill, [data(307, 2, 3, 4)], [T])
    case(w, "two_views", two_views, [x34, data(308, 4), data(309, 3)], [T, T, T])
    case(w, "base_then_old_view", base_then_old_view, [x34, data(310, 4)], [T, T])
    case(w, "buf_copy", buf_copy, [data(311, 3), data(312, 1)], [T, T])
    case(w, "copy_into_view", copy_into_view, [x34, data(313, 4)], [T, T])
    case(w, "setitem_column", setitem_column, [x34, data(314, 3)], [T, T])
    case(w, "slice_sub", slice_sub, [x34, data(315, 3, 2)], [T, T])
    case(w, "column_div", column_div, [x34, data(316, 3, lo=0.5, hi=2.0)], [T, T])
    w.close()


if __name__ == "__main__":
    main()
