import subprocess,sys,collections,re
out=subprocess.run(['perf','script','-i',sys.argv[1]],capture_output=True,text=True).stdout
samples=out.split('\n\n')
n=len(samples); late=samples[int(n*0.6):]
pat=sys.argv[2]
cnt=collections.Counter()
for s in late:
    lines=s.strip().split('\n')[1:]
    syms=[re.sub(r'^\s*[0-9a-f]+ ','',l).split(' (')[0] for l in lines]
    syms=[re.sub(r'\+0x[0-9a-f]+$','',x) for x in syms]
    if not any(re.search(pat,x) for x in syms): continue
    # java frames from the first frame above the native pattern
    i=max(k for k,x in enumerate(syms) if re.search(pat,x))
    chain=[x for x in syms[i+1:] if not x.startswith(('JavaCalls','thread_','JavaThread','Thread::','start_thread','clone'))]
    chain=[re.sub(r'\(.*\)','',x).replace('io.github.csp4j.','').replace('java.util.concurrent.','j.u.c.') for x in chain]
    cnt[' <- '.join(y.split()[-1] for y in chain)]+=1
for c,k in cnt.most_common(int(sys.argv[3]) if len(sys.argv)>3 else 6): print(k,'|',c,'\n')
