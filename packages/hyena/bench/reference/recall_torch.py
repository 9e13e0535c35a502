"""PyTorch replica of @notes/hyena's attention sequence model on associative recall (diagnosis of issue 21).

Same data generator as `associativeRecall` (keys 0..V/2-1, values V/2..V-1, a per-sequence key -> value map,
[bos] = V, L/2 - 1 pairs, the query key of a drawn pair last, its value the target), same model as
`fitSequenceModel({ mixer: 'attention' })` (embedding + sinusoidal positions, 2 pre-LN blocks of 4-head causal
attention and a ReLU MLP of width 2*64, final LayerNorm, readout; PyTorch's default U(+-1/sqrt(fan_in)) linear
init, embeddings N(0, 1)), same optimiser (Adam, warm-up over 10 % of the steps then cosine to 10 %, clip 1),
next-token loss over every position, fresh sequences every step; recall accuracy = argmax at the last position on
500 fresh test sequences per evaluated length. One thread. Not a test fixture: a reference for the README figures.

Usage: /usr/bin/python3 bench/reference/recall_torch.py --L 32 --steps 600 --batch 32 [--evalL 32,64,128,256]
       [--Lmix 32,64,128,256 --tokens 1024] [--seed 0] [--lr 3e-3] [--heads 4] [--V 20]
"""
import math, time, torch, torch.nn as nn, numpy as np
torch.set_num_threads(1)
import argparse
p=argparse.ArgumentParser()
p.add_argument('--L',type=int,default=64); p.add_argument('--steps',type=int,default=600)
p.add_argument('--batch',type=int,default=32); p.add_argument('--lr',type=float,default=3e-3)
p.add_argument('--heads',type=int,default=4); p.add_argument('--V',type=int,default=20)
p.add_argument('--wd',type=float,default=0.0); p.add_argument('--sched',default='cos')
p.add_argument('--evalL',default=''); p.add_argument('--every',type=int,default=100)
p.add_argument('--pe',default='sin'); p.add_argument('--seed',type=int,default=0)
p.add_argument('--Lmix',default=''); p.add_argument('--tokens',type=int,default=0)
a=p.parse_args()
torch.manual_seed(a.seed); rng=np.random.default_rng(a.seed)
V=a.V; W=64
def gen(n,L):
    K=V//2; out=np.zeros((n,L+1),dtype=np.int64)
    for s in range(n):
        m=K+rng.integers(0,V-K,size=K); out[s,0]=V
        ks=rng.integers(0,K,size=L//2-1)
        out[s,1:L-1:2]=ks; out[s,2:L-1:2]=m[ks]
        q=ks[rng.integers(0,len(ks))]; out[s,L-1]=q; out[s,L]=m[q]
    return torch.tensor(out)
def sinus(L,d):
    pe=torch.zeros(L,d); pos=torch.arange(L).float()[:,None]; i=torch.arange(0,d,2).float()
    pe[:,0::2]=torch.sin(pos/10000**(i/d)); pe[:,1::2]=torch.cos(pos/10000**(i/d)); return pe
class Block(nn.Module):
    def __init__(s):
        super().__init__(); s.ln1=nn.LayerNorm(W); s.ln2=nn.LayerNorm(W)
        s.q=nn.Linear(W,W,bias=False); s.k=nn.Linear(W,W,bias=False); s.v=nn.Linear(W,W,bias=False); s.o=nn.Linear(W,W)
        s.f1=nn.Linear(W,2*W); s.f2=nn.Linear(2*W,W)
    def forward(s,x):
        B,L,_=x.shape; H=a.heads; dh=W//H; u=s.ln1(x)
        q=s.q(u).view(B,L,H,dh).transpose(1,2); k=s.k(u).view(B,L,H,dh).transpose(1,2); v=s.v(u).view(B,L,H,dh).transpose(1,2)
        sc=q@k.transpose(-1,-2)/math.sqrt(dh); mask=torch.triu(torch.ones(L,L,dtype=torch.bool),1)
        sc=sc.masked_fill(mask,-1e30); y=(sc.softmax(-1)@v).transpose(1,2).reshape(B,L,W)
        x=x+s.o(y); return x+s.f2(torch.relu(s.f1(s.ln2(x))))
class Net(nn.Module):
    def __init__(s):
        super().__init__(); s.emb=nn.Embedding(V+1,W); s.b=nn.ModuleList([Block(),Block()]); s.ln=nn.LayerNorm(W); s.r=nn.Linear(W,V+1)
        s.pos=nn.Embedding(1024,W) if a.pe=='learned' else None
    def forward(s,t):
        L=t.shape[1]; x=s.emb(t)
        x=x+(sinus(L,W) if a.pe=='sin' else s.pos.weight[:L])
        for b in s.b: x=b(x)
        return s.r(s.ln(x))
net=Net(); opt=torch.optim.AdamW(net.parameters(),lr=a.lr,weight_decay=a.wd)
Ls=[int(x) for x in a.Lmix.split(',')] if a.Lmix else [a.L]
evalLs=[int(x) for x in a.evalL.split(',')] if a.evalL else [a.L]
tests={L:gen(500,L) for L in evalLs}
def lr_at(s):
    warm=max(1,int(0.1*a.steps))
    if s<warm: return a.lr*(s+1)/warm
    if a.sched=='const': return a.lr
    pp=(s-warm)/max(1,a.steps-warm); return a.lr*(0.1+0.45*(1+math.cos(math.pi*min(1,pp))))
def ev():
    r={}
    with torch.no_grad():
        for L,d in tests.items():
            z=net(d[:,:L]); r[L]=(z[:,-1].argmax(-1)==d[:,L]).float().mean().item()
    return r
t0=time.process_time(); toks=0
for s in range(a.steps):
    L=Ls[s%len(Ls)]; d=gen(a.tokens//L if a.tokens else a.batch,L); toks+=d.shape[0]*L
    for g in opt.param_groups: g['lr']=lr_at(s)
    z=net(d[:,:L]); loss=nn.functional.cross_entropy(z.reshape(-1,V+1),d[:,1:].reshape(-1))
    opt.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(net.parameters(),1.0); opt.step()
    if (s+1)%a.every==0 or s+1==a.steps:
        print(s+1, f'loss {loss.item():.3f}', {k:round(v*100,1) for k,v in ev().items()}, f'{time.process_time()-t0:.0f}s tok {toks}', flush=True)
