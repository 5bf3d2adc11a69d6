package postgres_test
import ("testing";"context";"time";"os";"strings";"strconv";"syscall";"math/rand/v2";"github.com/shortener-dev/shortener";"github.com/shortener-dev/shortener/internal/testenv";"github.com/shortener-dev/shortener/postgres")
func procCPU(pid int64) time.Duration {
 b,_:=os.ReadFile("/proc/"+strconv.FormatInt(pid,10)+"/stat"); f:=strings.Fields(string(b)[strings.LastIndex(string(b),")")+2:])
 u,_:=strconv.ParseInt(f[11],10,64); s,_:=strconv.ParseInt(f[12],10,64); return time.Duration(u+s)*10*time.Millisecond }
func selfCPU() time.Duration { var r syscall.Rusage; syscall.Getrusage(0,&r); return time.Duration(r.Utime.Nano()+r.Stime.Nano()) }
func BenchmarkZZDiag(b *testing.B){
 u:=testenv.PostgresURL(b)+"&pool_max_conns=1"
 for _, mode := range []string{"live","spread"} {
 db,err:=postgres.Open(context.Background(),u,nil,false); if err!=nil {b.Fatal(err)}; 
 _ = mode
 db.Close()
 }
 db,_:=postgres.Open(context.Background(),u,nil,false); db.Migrate(context.Background())
 pid:=postgres.CountForTest(b,db,"SELECT pg_backend_pid()")
 if os.Getenv("DROPFK")!="" { for _,t:=range []string{"click_events","link_daily_visitors","link_daily_stats","link_daily_dimensions"} { postgres.ExecForTest(b,db,"ALTER TABLE "+t+" DROP CONSTRAINT "+t+"_link_id_fkey") } }
 if os.Getenv("DROPIDX")!="" { postgres.ExecForTest(b,db,"DROP INDEX click_events_link_occurred_idx") }
 if os.Getenv("NOVIS")!="" { postgres.ExecForTest(b,db,"CREATE OR REPLACE RULE novis AS ON INSERT TO link_daily_visitors DO INSTEAD NOTHING") }
 links:=createLinks(b,db,1000)
 rng := rand.New(rand.NewPCG(1, 2))
 gen:=&clickGen{rng: rng, links: links, now: time.Now(), step: 2 * time.Millisecond, zipf: rand.NewZipf(rng, 1.1, 1, uint64(len(links)-1))}
 if os.Getenv("SPREAD")!="" { gen=&clickGen{rng: rng, links: links[:100], now: time.Now()} }
 st:=postgres.NewClickStore(db)
 var bs [][]shortener.ClickEvent
 for range 200 { bs=append(bs, gen.batch(500)) }
 for _,x:=range bs[:50] { st.WriteClicks(context.Background(), x) }
 if os.Getenv("EXPLAIN")!="" { for _,q:=range []string{"LOAD 'auto_explain'","SET auto_explain.log_min_duration=0","SET auto_explain.log_analyze=on","SET auto_explain.log_buffers=on","SET auto_explain.log_triggers=on"} { postgres.ExecForTest(b,db,q) }; st.WriteClicks(context.Background(), bs[50]); return }
 p0,s0,w0:=procCPU(pid),selfCPU(),time.Now()
 for _,x:=range bs[50:] { if err:=st.WriteClicks(context.Background(), x);err!=nil{b.Fatal(err)} }
 pc,sc,wc:=procCPU(pid)-p0,selfCPU()-s0,time.Since(w0)
 n:=150*500
 b.Logf("wall %v (%0.f clicks/s); pg cpu %v (%0.f clicks/cpu-s); go cpu %v (%0.f clicks/cpu-s)", wc, float64(n)/wc.Seconds(), pc, float64(n)/pc.Seconds(), sc, float64(n)/sc.Seconds())
}
