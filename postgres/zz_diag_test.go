package postgres_test
import ("testing";"context";"time";"os";"fmt";"math/rand/v2";"github.com/shortener-dev/shortener";"github.com/shortener-dev/shortener/internal/testenv";"github.com/shortener-dev/shortener/postgres")
func BenchmarkZZDiag(b *testing.B){
 u:=testenv.PostgresURL(b)+"&pool_max_conns=1"
 db,_:=postgres.Open(context.Background(),u,nil,false); db.Migrate(context.Background())
 pid:=postgres.CountForTest(b,db,"SELECT pg_backend_pid()")
 links:=createLinks(b,db,1000)
 rng := rand.New(rand.NewPCG(1, 2))
 gen:=&clickGen{rng: rng, links: links, now: time.Now(), step: 2 * time.Millisecond, zipf: rand.NewZipf(rng, 1.1, 1, uint64(len(links)-1))}
 st:=postgres.NewClickStore(db)
 var bs [][]shortener.ClickEvent
 for range 300 { bs=append(bs, gen.batch(500)) }
 for _,x:=range bs[:50] { st.WriteClicks(context.Background(), x) }
 os.WriteFile("/tmp/pgpid", []byte(fmt.Sprint(pid)), 0o644); time.Sleep(2*time.Second)
 w0:=time.Now()
 for _,x:=range bs[50:] { if err:=st.WriteClicks(context.Background(), x);err!=nil{b.Fatal(err)} }
 b.Logf("wall %v", time.Since(w0))
}
