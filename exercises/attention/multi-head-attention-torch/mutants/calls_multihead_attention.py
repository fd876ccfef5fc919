import torch


def multi_head_attention(x, w_q, w_k, w_v, w_o, num_heads):
    d = x.shape[-1]
    mha = torch.nn.MultiheadAttention(
        d, num_heads, bias=False, batch_first=True, device=x.device, dtype=x.dtype
    )
    with torch.no_grad():
        mha.in_proj_weight.copy_(torch.cat([w_q.T, w_k.T, w_v.T]))
        mha.out_proj.weight.copy_(w_o.T)
    return mha(x, x, x, need_weights=False)[0]
