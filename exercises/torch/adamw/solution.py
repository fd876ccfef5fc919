import torch


class AdamW:
    """AdamW (decoupled weight decay), identical to torch.optim.AdamW with amsgrad=False."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        self.params = list(params)
        self.lr = lr
        self.beta1, self.beta2 = betas
        self.eps = eps
        self.weight_decay = weight_decay
        # One step counter per parameter, as torch keeps one in each parameter's state: a
        # parameter without a gradient on some step does not advance its own counter.
        self.t = [0] * len(self.params)
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]

    @torch.no_grad()
    def step(self):
        for i, (p, m, v) in enumerate(zip(self.params, self.m, self.v, strict=True)):
            if p.grad is None:
                continue
            self.t[i] += 1
            bc1 = 1 - self.beta1 ** self.t[i]
            bc2 = 1 - self.beta2 ** self.t[i]
            g = p.grad
            p.mul_(1 - self.lr * self.weight_decay)
            m.mul_(self.beta1).add_((1 - self.beta1) * g)
            v.mul_(self.beta2).add_((1 - self.beta2) * g * g)
            m_hat = m / bc1
            v_hat = v / bc2
            p.sub_(self.lr * m_hat / (torch.sqrt(v_hat) + self.eps))

    def zero_grad(self):
        for p in self.params:
            p.grad = None
