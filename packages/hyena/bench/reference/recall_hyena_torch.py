"""PyTorch replica of @notes/hyena's Hyena sequence model on associative recall (issue 21), with variants.

Same data generator as `associativeRecall`, same model as `fitSequenceModel({ mixer: 'hyena' })` by default
(embedding N(0, 1), 2 pre-LN blocks of an order-2 Hyena operator and a ReLU MLP of width 2*64, final LayerNorm,
readout; the notes' recurrence z <- x_n * (h_n * z) with two long filters; the filter FFN on the positional
encoding (t/maxL, cos, sin of 3 bands) with sin(10 .) activations, hidden 16, exponential decay window with rates
1..30 over maxL and L1 normalisation; the 3-tap short filter started near the identity), same optimiser (AdamW,
warm-up over 10 % of the steps then cosine to 10 %, clip 1), next-token loss over every position, fresh sequences
every step; recall accuracy = argmax at the last position on 500 fresh test sequences per evaluated length. One
thread, float32 (a reference for the README figures, not a test fixture). Linear layers keep PyTorch's default
init (weights and biases U(+-1/sqrt(fan_in))); `--zerobias all|ffn|other` zeroes biases as core's Linear does.

Variants: --form safari (HazyResearch/safari's order-2 operator: y = x0 * (h * (x1 * v)), one long filter),
--norm 0 (no L1 normalisation), --bias 1 (per-channel skip term h*z + beta z), --hid/--emb/--w (filter FFN width,
encoding size, sine frequency), --decay safari (rates from safari's ExponentialModulation), --short torch
(PyTorch's Conv1d init instead of near-identity), --order, --mlp, --wd, --lr, --filterlr, --maxL (the filters'
grid; a curriculum model uses its longest length).

Usage: /usr/bin/python3 bench/reference/recall_hyena_torch.py --L 64 --steps 1500 --maxL 256 --evalL 64,128,256
"""
import math, time, torch, torch.nn as nn, numpy as np, argparse
torch.set_num_threads(1)
p=argparse.ArgumentParser()
p.add_argument('--L',type=int,default=32); p.add_argument('--steps',type=int,default=600)
p.add_argument('--batch',type=int,default=32); p.add_argument('--lr',type=float,default=3e-3)
p.add_argument('--V',type=int,default=20); p.add_argument('--wd',type=float,default=0.0)
p.add_argument('--seed',type=int,default=0); p.add_argument('--every',type=int,default=100)
p.add_argument('--form',default='notes'); p.add_argument('--norm',type=int,default=1)
p.add_argument('--bias',type=int,default=0); p.add_argument('--hid',type=int,default=16)
p.add_argument('--emb',type=int,default=7); p.add_argument('--w',type=float,default=10)
p.add_argument('--decay',default='ours'); p.add_argument('--short',default='id')
p.add_argument('--order',type=int,default=2); p.add_argument('--mlp',type=int,default=2)
p.add_argument('--evalL',default=''); p.add_argument('--maxL',type=int,default=0)
p.add_argument('--filterlr',type=float,default=0); p.add_argument('--zerobias',default='')
a=p.parse_args()
torch.manual_seed(a.seed); rng=np.random.default_rng(a.seed)
V=a.V; W=64; LM=a.maxL or a.L
def gen(n,L):
    K=V//2; out=np.zeros((n,L+1),dtype=np.int64)
    for s in range(n):
        m=K+rng.integers(0,V-K,size=K); out[s,0]=V
        ks=rng.integers(0,K,size=L//2-1)
        out[s,1:L-1:2]=ks; out[s,2:L-1:2]=m[ks]
        q=ks[rng.integers(0,len(ks))]; out[s,L-1]=q; out[s,L]=m[q]
    return torch.tensor(out)
class Hyena(nn.Module):
    def __init__(s):
        super().__init__(); N=a.order; s.N=N
        s.nf = N if a.form=='notes' else N-1
        C=(N+1)*W
        s.proj=nn.Linear(W,C)
        if a.short=='id': s.short=nn.Parameter(torch.cat([torch.ones(C,1),torch.zeros(C,2)],1)+0.1*(torch.rand(C,3)-0.5))
        else: s.short=nn.Parameter((torch.rand(C,3)*2-1)/math.sqrt(3))
        s.sb=nn.Parameter(torch.zeros(C)) if a.short!='id' else None
        H=a.hid
        s.ffn=nn.ModuleList([nn.Linear(a.emb,H),nn.Linear(H,H),nn.Linear(H,s.nf*W)])
        s.o=nn.Linear(W,W)
        s.beta=nn.Parameter(torch.randn(s.nf,W,1)) if a.bias else None
        t=torch.arange(LM,dtype=torch.float32)
        cols=[t/LM]; 
        for k in range(1,(a.emb-1)//2+1): cols+=[torch.cos(2*math.pi*k*t/LM), torch.sin(2*math.pi*k*t/LM)]
        s.register_buffer('z',torch.stack(cols,1))
        if a.decay=='ours': alpha=1*(30/1)**(torch.arange(W)/(W-1))
        else: alpha=torch.linspace(math.log(1e-2)/1.5, math.log(1e-2)/0.3, W).abs()
        s.register_buffer('win',torch.exp(-alpha[:,None]*t[None,:]/LM).repeat(s.nf,1))
    def filt(s,L):
        z=s.z[:L]
        z=torch.sin(a.w*s.ffn[0](z)); z=torch.sin(a.w*s.ffn[1](z)); z=s.ffn[2](z)
        h=z.T*s.win[:,:L]
        if a.norm: h=h/(h.abs().sum(1,keepdim=True)+1e-12)
        return h
    def conv(s,v,hn,n):
        L=v.shape[-1]
        y=torch.fft.irfft(torch.fft.rfft(v,2*L)*torch.fft.rfft(hn,2*L),2*L)[...,:L]
        if s.beta is not None: y=y+s.beta[n]*v
        return y
    def forward(s,u):
        B,L,_=u.shape
        z=s.proj(u).transpose(1,2)
        zp=torch.nn.functional.pad(z,(2,0))
        z=s.short[:,0,None]*zp[:,:,2:]+s.short[:,1,None]*zp[:,:,1:-1]+s.short[:,2,None]*zp[:,:,:-2]
        if s.sb is not None: z=z+s.sb[:,None]
        h=s.filt(L)
        if a.form=='notes':
            v=z[:,:W]; xs=[z[:,W*(n+1):W*(n+2)] for n in range(s.N)]
            for n in range(s.N): v=xs[n]*s.conv(v,h[n*W:(n+1)*W],n)
        else:
            xs=[z[:,W*n:W*(n+1)] for n in range(s.N)]; v=z[:,W*s.N:]
            for o,xi in enumerate(reversed(xs[1:])):
                v=v*xi; v=s.conv(v,h[o*W:(o+1)*W],o)
            v=v*xs[0]
        return s.o(v.transpose(1,2))
class Net(nn.Module):
    def __init__(s):
        super().__init__(); s.emb=nn.Embedding(V+1,W)
        s.b=nn.ModuleList([nn.ModuleList([nn.LayerNorm(W),Hyena(),nn.LayerNorm(W),nn.Linear(W,a.mlp*W),nn.Linear(a.mlp*W,W)]) for _ in range(2)])
        s.ln=nn.LayerNorm(W); s.r=nn.Linear(W,V+1)
    def forward(s,t):
        x=s.emb(t)
        for l1,m,l2,f1,f2 in s.b: x=x+m(l1(x)); x=x+f2(torch.relu(f1(l2(x))))
        return s.r(s.ln(x))
net=Net()
if a.zerobias:
    for n_,p_ in net.named_parameters():
        if n_.endswith('bias') and (a.zerobias=='all' or (a.zerobias=='ffn')==('.ffn.' in n_)): p_.data.zero_()
fp=[p_ for n,p_ in net.named_parameters() if '.ffn.' in n]; op=[p_ for n,p_ in net.named_parameters() if '.ffn.' not in n]
groups=[{'params':op,'lr0':a.lr}]+([{'params':fp,'lr0':a.filterlr or a.lr,'weight_decay':0.0}])
opt=torch.optim.AdamW(groups,lr=a.lr,weight_decay=a.wd)
evalLs=[int(x) for x in a.evalL.split(',')] if a.evalL else [a.L]
tests={L:gen(500,L) for L in evalLs}
def lr_at(s,lr):
    warm=max(1,int(0.1*a.steps))
    if s<warm: return lr*(s+1)/warm
    pp=(s-warm)/max(1,a.steps-warm); return lr*(0.1+0.45*(1+math.cos(math.pi*min(1,pp))))
def ev():
    r={}
    with torch.no_grad():
        for L,d in tests.items(): z=net(d[:,:L]); r[L]=round(100*(z[:,-1].argmax(-1)==d[:,L]).float().mean().item(),1)
    return r
t0=time.process_time()
for s in range(a.steps):
    d=gen(a.batch,a.L)
    for g in opt.param_groups: g['lr']=lr_at(s,g['lr0'])
    z=net(d[:,:a.L]); loss=nn.functional.cross_entropy(z.reshape(-1,V+1),d[:,1:].reshape(-1))
    opt.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(net.parameters(),1.0); opt.step()
    if (s+1)%a.every==0 or s+1==a.steps:
        print(s+1, f'loss {loss.item():.3f}', ev(), f'{time.process_time()-t0:.0f}s', flush=True)
