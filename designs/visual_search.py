"""Visual search: return catalogue images that look like a query photo or a crop of one."""
from diagrams import Edge
from diagrams.aws.storage import S3
from diagrams.onprem.analytics import Spark
from diagrams.onprem.client import User
from diagrams.onprem.compute import Server
from diagrams.onprem.database import Cassandra
from diagrams.onprem.inmemory import Redis
from diagrams.onprem.monitoring import Grafana, Prometheus
from diagrams.onprem.network import Nginx
from diagrams.onprem.queue import Kafka

from mlsd import (Candidate, CaseStudy, Component, DataPreparation, Evaluation, Feature, Framing,
                  Metric, ModelDevelopment, Monitoring, Pipeline, Requirements, Scale, Serving,
                  stage)
from mlsd.nodes import (EmbeddingService, FeatureStore, LabelingQueue, ModelRegistry,
                        ModelServer, NeuralNetwork, VectorIndex)

# The parts of the system, declared once: drawn in the diagrams, sized in the capacity table
# and timed on the latency path. Latencies are p50s on a loaded host.
gateway = Component(
    "API gateway", Nginx, stage="serving", latency_ms=8, in_flight=32,
    note="Authenticates, then decodes and resizes the query photo on CPU.")
detector = Component(
    "Object detector", ModelServer, stage="serving", latency_ms=15, calls=0.25, in_flight=32,
    host="Query GPU hosts", hardware="GPU",
    note="Proposes object boxes on camera photos and uploads, a quarter of queries.")
query_encoder = Component(
    "Query encoder", EmbeddingService, stage="serving", latency_ms=25, calls=0.4, in_flight=32,
    host="Query GPU hosts", hardware="GPU",
    note="Distilled ViT-S/16 with dynamic batching; runs on the 40% of queries that bring new "
         "pixels or a box, while whole catalogue images reuse their stored vectors.")
index_shards = Component(
    "IVF-PQ index shards", VectorIndex, stage="serving", latency_ms=23, calls=16, in_flight=64,
    host="Index hosts", items=8e9, items_per_day=30e6, bytes_per_item=320,
    note="16 shards of 500 M images; per image a 64-byte PQ code and a 256-byte int8 vector. "
         "A call probes 64 IVF lists and scans their PQ codes.")
rescorer = Component(
    "int8 re-scorer", VectorIndex, stage="serving", latency_ms=6, calls=16, in_flight=64,
    host="Index hosts",
    note="Re-scores each shard's best PQ hits with the int8 vectors held on the same host.")
broker = Component(
    "Result broker", Server, stage="serving", latency_ms=10, in_flight=32,
    note="Fans the query out to every shard, merges, filters and collapses duplicates.")
blocklist = Component(
    "Safety blocklist", Redis, stage="serving", latency_ms=2, items=20e6, bytes_per_item=64,
    note="Ids of taken-down and unsafe images, streamed from moderation; one batched lookup "
         "per query.")
reranker = Component(
    "Re-ranker", ModelServer, stage="serving", latency_ms=15, in_flight=16,
    note="LambdaMART over the top 1,000 on CPU.")
metadata = Component(
    "Image metadata", Cassandra, stage="serving", latency_ms=10, in_flight=32, items=8e9,
    items_per_day=30e6, bytes_per_item=1000,
    note="Owner, title, description and collections per image; the top 50 "
         "are hydrated from it. Its replicas at peak cover only the read load; the "
         "cluster is sized by its data instead: 8 TB at three copies in each of four regions is about "
         "100 TB, some 50 nodes at 2 TB each.")
catalogue_embedder = Component(
    "Catalogue embedder", EmbeddingService, stage="serving", hardware="GPU",
    items_per_day=30e6, per_second=2000,
    note="The ViT-B/16 teacher embedding new uploads as they arrive: about 17.6 G "
         "multiply-adds an image, so 2,000 images/s is some 70 TFLOP/s in FP16, a rate an "
         "A100-class GPU sustains with large batches but with little headroom beyond it.")
re_embedding = Component(
    "Catalogue re-embedding", EmbeddingService, stage="serving", hardware="GPU", items_per_day=8e9,
    per_second=2000,
    note="Runs once per catalogue-encoder version, sized here as one day over all 8 B images.")

rerank_features = Component(
    "Re-ranker features", FeatureStore, stage="data", latency_ms=8, in_flight=32, items=8e9,
    items_per_day=30e6, bytes_per_item=200,
    note="Per catalogue image: quality bucket, 30-day save and click counts, detector class, "
         "upload day, pHash and a 64-d int8 caption embedding; the top 1,000 are fetched in "
         "one batched call.")
# Jobs behind the training data and the models. Logs: 600 M requests a day, 50 impressions each.
log_join = Component(
    "Log join", Spark, stage="data", items_per_day=30e9, per_second=100e3,
    note="Hourly: 30 B impressions a day joined with their actions under the 24-hour label "
         "window; the day's action counts also refresh the engagement features. Items are "
         "impressions, per CPU.")
pair_mining = Component(
    "Pair mining", Spark, stage="data", items_per_day=7e9, per_second=50e3,
    note="Daily: unions the 90 days of engaged pairs (about 2 B) with 5 B co-save pairs, drops "
         "near-duplicates and caps each image; the weekly hard-negative pass reads the same "
         "logs. Items are pairs, per CPU.")
encoder_training = Component(
    "Encoder fine-tuning", NeuralNetwork, stage="model", hardware="GPU",
    items_per_day=7e9 / 91, per_second=500,
    note="Quarterly: one epoch of the 7 B pairs through the ViT-B/16 teacher, about 500 pairs "
         "a second per GPU; shown as a daily average. The self-supervised pretraining is "
         "a one-off and not counted.")
student_distillation = Component(
    "Query student distillation", NeuralNetwork, stage="model", hardware="GPU",
    items_per_day=2e9 / 91, per_second=2000,
    note="Quarterly, after each teacher: about 2 B query crops and catalogue images mapped "
         "into the teacher's space by the ViT-S student; shown as a daily average.")
reranker_training = Component(
    "Re-ranker training", Spark, stage="model", items_per_day=200e6 / 7, per_second=5e3,
    note="Weekly LambdaMART on about 200 M logged query-result rows with propensity weights; "
         "shown as a daily average, per CPU.")
index_build = Component(
    "Index build", Spark, stage="serving", items_per_day=8e9 / 91 + 30e6, per_second=50e3,
    note="OPQ, IVF and PQ codes for all 8 B vectors with each quarterly encoder (averaged per "
         "day), plus the 30 M daily uploads folded in by the delta merges. Items are "
         "vectors, per CPU.")

case = CaseStudy(
    slug="visual-search",
    components=[gateway, detector, query_encoder, broker, index_shards, rescorer, blocklist,
                rerank_features, reranker, metadata, catalogue_embedder, re_embedding,
                log_join, pair_mining, encoder_training, student_distillation,
                reranker_training, index_build],
    title="Visual search system",
    summary=(
        "Embed a query photo (or a crop of it) with a contrastively trained image encoder and "
        "fetch look-alikes from a sharded, product-quantised ANN index over **8 B** catalogue "
        "images with a p95 under 250 ms."),
    prompt=(
        "You work at a large image-sharing platform. Design visual search: a user points the "
        "camera at something, uploads a photo, or taps a region of an image already on the "
        "platform, and gets back catalogue images that look similar. The catalogue holds "
        "billions of images and grows by tens of millions a day."),
    requirements=Requirements(
        objective=(
            "Let people search with a picture when words fail them, and turn that into saves, "
            "clicks through to the source or merchant, and return visits. The north-star "
            "metric is the share of visual-search sessions with at least one save or outbound "
            "click (an *engaged session*)."),
        questions={
            "Where do query images come from?": (
                "Camera photos, uploads, and taps on catalogue images. The user may box one "
                "object; for camera photos the system proposes boxes."),
            "What does *similar* mean?": (
                "The same kind of object with a similar look (shape, material, colour, "
                "style). Exact copies of the query add little and are collapsed."),
            "Are results personalised?": (
                "Not at first: relevance to the query dominates. The re-ranker can take user "
                "features later."),
            "How large is the catalogue, and how fresh must it be?": (
                "About 8 B public images, plus 30 M a day. New images must be findable within "
                "an hour; taken-down images must vanish within minutes."),
            "Is there labelled data?": (
                "No curated set. We have engagement logs from the existing *more like this* "
                "module, co-saves from collections, and budget for about 300 k judged "
                "query-result pairs a quarter, three raters each."),
        },
        functional=[
            "Take a query image (bytes or a catalogue id) with an optional box and filters; "
            "return 50 similar images per page, up to about 500.",
            "Detect salient objects in camera photos and offer them as crops.",
            "Index new public images within an hour; drop deleted or taken-down ones within "
            "five minutes.",
            "Filter unsafe content and collapse near-duplicates.",
            "Log queries, impressions and actions with the model versions used.",
        ],
        non_functional={
            "scalability": (
                "8 B vectors growing by about 11 B a year ({ivf_pq_index_shards.growth} of "
                "codes and int8 vectors, about 22 more shards of 500 M), so the index is "
                "sharded and grows by adding shards; a full re-embedding must fit in about a "
                "day."),
            "latency": (
                "Server-side p95 under 250 ms, p99 under 400 ms. Under overload, probe fewer "
                "IVF lists rather than time out."),
            "throughput": (
                "{average_qps} on average and {peak_qps} at peak, each fanning out to every "
                "shard."),
            "privacy": (
                "Camera photos are private: never indexed or shown to others, kept only with "
                "consent for at most 30 days, with faces blurred and location stripped."),
            "cost": (
                "GPUs for query encoding and re-embedding, and RAM for the index, dominate. "
                "Product quantisation cuts the scanned index from {embedding_index_raw} of "
                "floats to {embedding_index_compressed}."),
        },
        scale=Scale(daily_active_users=200e6, requests_per_user=3, peak_to_average=3,
                    items=8e9, embedding_dim=256, compressed_bytes_per_item=64,
                    log_bytes_per_request=2000, new_items_per_day=30e6,
                    bytes_per_new_item=300e3),
        notes=(
            "Three requests a day per user counts taps on *more like this*. Each 2 kB log "
            "row records 50 impressions. The 300 kB per new image is the original plus "
            "renditions, which the platform stores anyway; search adds about 1 kB of vectors. "
            "About 60% of queries are whole catalogue images, which reuse stored vectors; 15% "
            "are a box on a catalogue image, and 25% are camera photos or uploads, which also "
            "go through the detector. The fleets, jobs and stores after the traffic figures "
            "come from the components: the serving path, the indexing and the training jobs."),
    ),
    framing=Framing(
        ml_objective=(
            "Learn an image encoder whose cosine similarity predicts whether a user who "
            "searched with the query would engage (save, close-up, click out) with a result; "
            "retrieval is then nearest-neighbour search, and a small re-ranker orders the "
            "survivors. Engagement is plentiful, fast and reflects what users mean by "
            "similar. It diverges for attractive but unrelated images, for high positions, "
            "and for exact copies that get clicks but add nothing, hence debiasing and "
            "de-duplication."),
        input=(
            "A query image (JPEG bytes or a catalogue id), an optional normalised box, a "
            "content-type filter and the user's locale."),
        output=(
            "Up to 500 ranked catalogue ids with scores, 50 per page, plus detected object "
            "boxes for camera photos."),
        category=(
            "Representation learning plus retrieval: an embedding model, approximate "
            "nearest-neighbour search and a learning-to-rank re-ranker."),
        alternatives={
            "Cross-encoder over query and candidate": (
                "One forward pass per candidate: fine for re-ranking hundreds, impossible for "
                "retrieval over billions."),
            "Classify into a taxonomy, return the same class": (
                "Loses the style detail users care about (a walnut mid-century chair versus "
                "any chair) and needs constant upkeep."),
            "Caption the image, then text search": (
                "Words miss texture and shape, and errors compound; useful only as a "
                "secondary source for long-tail concepts."),
        },
        notes=(
            "Keep the embedding purely visual: it is frozen into billions of stored vectors, "
            "so changing it costs a re-index. Popularity, quality and safety shift daily and "
            "belong in the re-ranker, which retrains weekly at no indexing cost."),
    ),
    data=DataPreparation(
        sources={
            "Image catalogue": (
                "8 B public images with owner, title, description and collections; files in "
                "S3, metadata in Cassandra."),
            "Search logs": (
                "Queries, impressions (id, position, score, model version) and actions, "
                "streamed through Kafka into hourly Parquet partitions."),
            "Collection co-saves": (
                "Images saved together by the same person: a weak but huge relatedness "
                "signal that predates any search traffic; aggregated daily in Spark."),
            "Human judgements": (
                "Graded 0-3 query-result ratings with rater and guideline version, in the "
                "labelling tool's PostgreSQL."),
            "Safety verdicts": (
                "Per-image flags from moderation, streamed to the serving blocklist."),
        },
        labels=(
            "Mostly natural. A pair is positive when the user saved, clicked out, or opened "
            "the close-up for over two seconds; results skipped above an engaged one are "
            "weak negatives, and *hide* is a strong negative. The label window closes after "
            "24 hours. Position bias is estimated by randomly swapping adjacent results on "
            "1% of traffic and corrected with inverse-propensity weights. Co-saves cover the "
            "cold start, and self-supervised pretraining needs no labels (two crops of one "
            "image are a positive). Human judgements, three raters per pair, are kept for "
            "evaluation."),
        features=[
            Feature("Query pixels",
                    "RGB cropped to the box, resized to 224 x 224, normalised; the encoder "
                    "maps it to a 256-d unit vector."),
            Feature("Candidate embedding",
                    "Same space, stored as a 64-byte PQ code for scanning and an int8 vector "
                    "for re-scoring."),
            Feature("Query-candidate cosine",
                    "Dot product from the int8 vectors, in [-1, 1]."),
            Feature("Perceptual-hash distance",
                    "Hamming distance of 64-bit pHashes; below 6 means the same picture."),
            Feature("Image quality",
                    "Blur, resolution and watermark model score, 10 quantile buckets."),
            Feature("Historical engagement",
                    "30-day save and click rates, Beta-smoothed and log-transformed so new "
                    "images are not punished."),
            Feature("Object category agreement",
                    "Detector class of query crop and candidate (300 classes, categorical) "
                    "plus a same-class flag."),
            Feature("Freshness", "log(1 + days since upload), capped at five years."),
            Feature("Caption embedding",
                    "64-d projection of a multilingual text encoder over title and "
                    "description."),
        ],
        pipeline=[
            "Ingest: each upload event triggers a streaming job that computes the pHash, "
            "runs safety checks and the encoder, and appends the vector to the delta index.",
            "Log join: hourly Spark joins impressions with actions and applies the 24-hour "
            "label window.",
            "Pairs: daily, union engaged and co-saved pairs, drop near-duplicate pairs, cap "
            "any image's appearances.",
            "Hard negatives: weekly, query the current index and keep shown-and-skipped "
            "results at ranks 20-200.",
            "Validation and versioning: schema, decode-failure and label-rate checks gate "
            "each partition; snapshots record encoder version and code hash.",
        ],
        privacy=(
            "Camera photos are processed in memory; a consented sample is kept 30 days with "
            "faces and plates blurred and EXIF location removed. Only public images are "
            "indexed; camera photos reach training only from that consented, blurred "
            "sample. Deletions leave the index within minutes and training data at the next "
            "snapshot. Logs use a rotating pseudonymous id."),
        bias=(
            "Engagement favours bright, professional photos and big categories (decor, "
            "fashion) in a few markets, and rich-get-richer loops lift popular images. For "
            "queries showing people, results must not skew skin tone or body type. We slice "
            "metrics by category, region and rater-annotated skin tone, rebalance pairs "
            "across categories and cap each creator's share of a page."),
        notes=(
            "Co-saves are noisier than search engagement (a *kitchen ideas* collection mixes "
            "tiles and kettles), so they get a lower weight and matter most early in "
            "training. Human labels buy evaluation quality; scale comes from logs and "
            "self-supervision."),
    ),
    model=ModelDevelopment(
        baseline=(
            "A generic CLIP image tower, PCA-reduced to 256-d, behind the same IVF-PQ index "
            "with only de-duplication and safety filtering. It ships in weeks, sets the "
            "offline floor, and its traffic produces the engagement logs."),
        candidates=[
            Candidate(
                "Classification backbone",
                "A CNN trained on a large taxonomy, penultimate layer as embedding.",
                pros=["Simple, stable training.", "Good at coarse category."],
                cons=["Flattens within-class style.", "Tied to a label space."]),
            Candidate(
                "Self-supervised encoder",
                "A ViT pretrained on the catalogue with augmented views as positives.",
                pros=["Uses all 8 B unlabelled images in the right domain.",
                      "Robust to crop and lighting."],
                cons=["Augmentations define *similar* (colour jitter is wrong for fashion).",
                      "Needs huge batches."]),
            Candidate(
                "Engagement-tuned contrastive encoder",
                "The self-supervised model fine-tuned on (query crop, engaged result) and "
                "co-save pairs with mined hard negatives.",
                pros=["Geometry matches what users call similar.",
                      "Learns crop-to-scene matching."],
                cons=["Inherits engagement bias.", "Each version forces a re-index."]),
        ],
        choice=(
            "The engagement-tuned encoder on ViT-B/16 with a 256-d L2-normalised head: the "
            "only option trained on what users mean by similar while still using the "
            "unlabelled catalogue. It embeds the catalogue offline; a distilled ViT-S "
            "student embeds queries into the same space. A LambdaMART re-ranker over the top "
            "1,000 adds quality and engagement priors without touching stored vectors."),
        loss=(
            "Symmetric InfoNCE over cosine similarities with a learned temperature (starting "
            "at 0.07), a 16 k-pair global batch as negatives plus four mined hard negatives "
            "per query, and a log-frequency correction so popular images are not "
            "over-penalised. The re-ranker optimises LambdaMART NDCG with the north-star "
            "actions on top: save or outbound click 2, close-up over two seconds 1, skip 0, "
            "weighted by inverse position propensity."),
        training_data=(
            "About 2 B engaged pairs from 90 days plus 5 B co-save pairs at weight 0.3. "
            "Negatives: in-batch plus skipped results at ranks 20-200; anything within pHash "
            "distance 8 of the query (looser than the de-duplication cut of 6) is excluded, "
            "since a re-post is a false negative. No "
            "category supplies over 5% of an epoch and no image is a positive more than 50 "
            "times. Queries are fed as detector crops. Time split: train on days 1-83, "
            "validate on 84-87, test on the last three, with unseen users and pHash "
            "de-duplication across splits."),
        notes=(
            "A new catalogue encoder always means a new index: making it compatible with the "
            "old catalogue vectors would let it launch before the re-embedding, but would "
            "tie the new geometry to the old one, and the quarterly gain is mostly that new "
            "geometry. Only the query student changes on its own, because it is distilled "
            "into the current catalogue space."),
    ),
    evaluation=Evaluation(
        offline=[
            Metric("Recall@100",
                   "Measured twice: encoder recall of engaged results under exact search, and "
                   "ANN recall against exact search (target 0.95), to tell model from index "
                   "regressions."),
            Metric("nDCG@20 on judged queries",
                   "10 k queries stratified by category, region and entry point (about 200 k "
                   "judged pairs, a fifth refreshed each quarter); the first screen shows "
                   "about 20 images."),
            Metric("Sliced metrics and duplicate rate",
                   "Per category, region and crop type, plus near-duplicates in the top 20, "
                   "so averages do not hide regressions."),
        ],
        online=[
            Metric("Engaged-session rate",
                   "Sessions with a save or outbound click: closest to *found it*."),
            Metric("Re-query rate",
                   "Box redrawn or photo retaken within 30 s: a direct sign of a miss."),
            Metric("7-day return to visual search",
                   "Guards against novelty or clickbait gains that do not last."),
        ],
        gap=(
            "Judged and logged sets were built from what the old model retrieved, so a new "
            "encoder that finds unseen good images gets no credit. Offline uses exact search "
            "on a snapshot; production runs IVF-PQ over an index that includes the last "
            "hour's uploads. Raters reward *looks similar*, users reward *looks appealing*. "
            "Camera photos are darker and blurrier than catalogue queries, and user-drawn "
            "boxes are looser than detector boxes."),
        experiments=(
            "Candidate catalogue encoders are screened offline, since each one online costs "
            "a full re-embedding ({catalogue_re_embedding.hours}) and a second index; only "
            "the quarter's finalist gets both. Team-draft interleaving on 1% of traffic then "
            "screens it, and re-ranker or query-student changes, which need no re-index, in "
            "days. Survivors go to a user-randomised A/B test: with engagement near 30%, a 0.5% relative lift at "
            "80% power needs about 1.5 M sessions per arm, reached in a day, but we run two "
            "weeks for weekly cycles and novelty. The randomised swaps allow "
            "inverse-propensity estimates of re-ranker changes before launch, within logged "
            "candidates. Guardrails: p95 latency, empty results, safety reports, creator "
            "diversity; a 1% holdback runs for a quarter."),
        notes=(
            "To evaluate the index on its own, replay a daily query sample with exact search "
            "on one shard and compare top-100 overlap; the same replay draws the curve of "
            "recall against probed lists, and the probe count is the smallest that reaches "
            "0.95 (a start of 64 of 65,536 lists is a guess to be checked, not a result). It separates an index regression "
            "(stale centroids after growth, too few probes) from a model one, which the "
            "end-to-end metrics cannot."),
    ),
    serving=Serving(
        pipelines=[
            Pipeline("Online query path", "online", [
                gateway,
                "Authenticate and decode; whole catalogue images skip to the broker with "
                "their stored vectors.",
                detector,
                "Propose boxes on camera photos and uploads; crop the chosen box.",
                query_encoder,
                "Embed the crop on GPU with dynamic batching.",
                broker,
                "Send the vector to all 16 shards.",
                index_shards,
                "Each shard probes 64 of its 65,536 IVF lists and scans their PQ codes.",
                rescorer,
                "Each shard re-scores its best PQ hits with int8 vectors and returns 200.",
                blocklist,
                "The broker merges, drops blocked images, applies filters and collapses "
                "duplicates.",
                rerank_features,
                "Fetch the survivors' quality, engagement, category, freshness and caption "
                "features in one batched call.",
                reranker,
                "Order the top 1,000.",
                metadata,
                "Hydrate and return the top 50.",
            ]),
            Pipeline("Streaming indexing", "streaming", [
                "Consume upload, delete and moderation events.",
                catalogue_embedder,
                "Embed new images with the catalogue encoder; append PQ and int8 codes to "
                "the delta index; tombstone deletions at once.",
                "Merge deltas into the main index every few hours.",
                index_build,
            ]),
            Pipeline("Re-embedding and rebuild", "batch", [
                re_embedding,
                "On a new catalogue encoder, embed the 8 B images at 2,000 images/s per GPU: "
                "{catalogue_re_embedding.hours}, or {catalogue_re_embedding.machines} for a "
                "day.",
                "Train OPQ, IVF centroids and PQ codebooks on a 50 M sample; build 16 shards.",
                index_build,
                "Replay interim uploads and deletes, pass the recall check, publish.",
            ]),
            Pipeline("Training", "batch", [
                "Build pairs and hard negatives daily and weekly.",
                log_join, pair_mining,
                "Fine-tune and distil the encoder quarterly; retrain the re-ranker weekly.",
                encoder_training, student_distillation, reranker_training,
                "Register models that pass the judged and sliced metrics.",
            ]),
        ],
        latency_path=[gateway, detector, query_encoder, broker, index_shards, rescorer,
                      blocklist, rerank_features, reranker, metadata, ("Response", 10)],
        latency_target_ms=400,
        placement=(
            "Cloud, in every serving region. The detector and the query encoder share one "
            "GPU pool, {query_gpu_hosts.replicas} at peak across all regions: both run only "
            "on queries that bring new pixels or a box. Each index host keeps one whole shard "
            "of 500 M images in its 256 GB of RAM: 32 GB of PQ codes and 128 GB of int8 "
            "vectors, {ivf_pq_index_shards.size} for a full copy of the index. The scan and "
            "the re-scoring run on the same host, so the index fleet is sized from both: "
            "{index_hosts.replicas} at peak across all regions, about 16 replicas of each "
            "shard, four in each of four regions. The broker ({result_broker.replicas}), the "
            "re-ranker ({re_ranker.replicas}), its feature store "
            "({re_ranker_features.replicas}) and the gateway ({api_gateway.replicas}) are "
            "CPU fleets. The encoder stays server-side so query and index versions always "
            "match. A camera photo takes {latency_total} at p50 through the whole path, "
            "which leaves room for the slowest of 16 shards and for queueing under the "
            "250 ms p95 and {latency_target} p99 targets."),
        compression=(
            "Asymmetric distillation: the ViT-B teacher embeds the catalogue, and a ViT-S "
            "student about four times cheaper maps queries into the teacher's space, losing "
            "under a point of recall. The student serves in FP16/INT8. OPQ plus PQ with 64 "
            "sub-spaces turns a 1 kB vector into a 64-byte code (16x), and re-scoring uses "
            "int8 copies (4x)."),
        rollout=(
            "A new catalogue encoder means a new index: build it beside the old one, dual-write "
            "uploads, and mirror 1% of queries in shadow to compare latency and overlap. Then "
            "interleaving and an A/B ramp (1% → 5% → 25% → 100%) region by region. Rollback "
            "is a router flag; the old index stays warm for two weeks."),
        notes=(
            "Under a spike the broker cuts probes from 64 to 24 (a few points of recall, "
            "read off the recall curve) before shedding load. Whole catalogue images (about "
            "60% of queries) skip the GPU, which the GPU pool's sizing already counts; they "
            "can also be cached, so the index and CPU fleets, sized as if every query reached "
            "them, are a ceiling."),
    ),
    monitoring=Monitoring(
        operational=[
            "Latency per stage at p95 and p99, and the slowest shard per query.",
            "Partial-result rate when a shard misses its deadline.",
            "GPU batch fill and queue depth.",
            "Upload-to-searchable and takedown-to-removal lag.",
        ],
        ml_signals=[
            "Query drift: PSI of IVF list assignments against last month.",
            "Top-1 similarity distribution; a sudden drop signals version skew or odd photos.",
            "Sampled ANN recall against exact search on one shard.",
            "Weekly judged nDCG@20 on 250 live queries (5 k pairs), free of engagement bias.",
            "Ingest quality: decode failures, blank images, duplicate share.",
        ],
        alerts=[
            "Page: p95 above 300 ms for 10 minutes, or partial results above 1%.",
            "Page: a takedown still searchable after 5 minutes.",
            "Ticket: engaged-session rate 5% below baseline, ANN recall below 0.93, or "
            "drift PSI above 0.2 for three days.",
        ],
        retraining=(
            "Re-ranker weekly, since it touches no vectors. Encoder quarterly, or sooner if "
            "judged nDCG drops 3% or drift persists; each version costs a full re-embedding "
            "({catalogue_re_embedding.hours}). IVF and PQ codebooks are retrained with each encoder "
            "or when list sizes grow unbalanced."),
        failure_modes={
            "Shard down or slow": (
                "Hedged requests to a second replica; answer with what arrives by 70 ms and "
                "mark the response partial."),
            "Encoder and index versions differ": (
                "Vectors and queries carry a version and the router pairs only matching "
                "ones."),
            "Taken-down image still shown": (
                "A real-time blocklist at serving covers the gap until index deletion."),
            "Viral re-posts flood results": (
                "pHash clusters collapsed to one canonical image."),
            "Hub images near everything": (
                "Track images in unusually many top-50s and demote them."),
            "Feedback loop to popular images": (
                "Caps on how often one image is a positive, per-creator page caps and "
                "exploration slots; the log-frequency correction only undoes in-batch "
                "sampling skew and does not fight popularity."),
            "Dark or blurred camera photos": (
                "The client checks exposure and blur and asks for a retake; training "
                "augmentations simulate both."),
        },
        notes=(
            "A common real outage is the index build, not the model: a rebuild that "
            "silently drops a shard's deltas. The recall check and a count reconciliation "
            "(vectors indexed against public images) gate every publish."),
    ),
)


@case.diagram("System architecture")
def architecture():
    user = User("User")
    with stage("data", "Data"):
        events = Kafka("Upload and log events")
        images = S3("Image store")
        logjoin = log_join()
        pairs = pair_mining()
        feats = rerank_features()
    with stage("model", "Training"):
        train = encoder_training()
        distil = student_distillation()
        ranktrain = reranker_training()
        registry = ModelRegistry("Model registry")
    with stage("serving", "Online query path"):
        gate = gateway()
        detect = detector()
        encode = query_encoder()
        merge = broker()
        shards = index_shards()
        rescore = rescorer()
        blocked = blocklist()
        rerank = reranker()
        meta = metadata()
    with stage("serving", "Indexing"):
        embed = catalogue_embedder()
        reembed = re_embedding()
        build = index_build()
    with stage("monitoring", "Monitoring"):
        metrics = Prometheus("Metrics")
        dash = Grafana("Dashboards")
        judges = LabelingQueue("Human judgements")

    user >> Edge(label="photo") >> gate >> detect >> encode >> merge
    merge >> Edge(label="16 shards") >> shards >> rescore >> Edge(label="16 x 200") >> merge
    blocked >> merge
    merge >> Edge(label="top 1,000") >> rerank >> meta
    images >> embed >> Edge(label="PQ and int8 codes") >> shards
    images >> reembed >> Edge(label="new vectors", style="dashed") >> build
    embed >> Edge(label="deltas", style="dashed") >> build
    build >> Edge(label="shards", style="dashed") >> shards
    events >> Edge(label="uploads") >> images
    events >> logjoin >> pairs >> train >> registry
    train >> Edge(label="distil") >> distil >> registry
    logjoin >> Edge(label="engagement") >> feats
    logjoin >> ranktrain >> registry
    feats >> Edge(style="dashed") >> rerank
    registry >> Edge(constraint="false") >> rerank
    registry >> Edge(constraint="false") >> encode
    registry >> Edge(constraint="false") >> embed
    rerank >> Edge(style="dashed", label="logs", constraint="false") >> events
    rerank >> metrics >> dash
    judges >> dash


@case.diagram("Encoder training and distillation", stage="model")
def encoder_model():
    with stage("data", "Training data"):
        images = S3("Catalogue images")
        pairs = Spark("Pairs and hard negatives")
    with stage("model", "Teacher: catalogue encoder"):
        pretrain = NeuralNetwork("Self-supervised ViT-B/16")
        teacher = NeuralNetwork("InfoNCE fine-tuning, 256-d head")
    with stage("model", "Student: query encoder"):
        student = NeuralNetwork("Distilled ViT-S/16")
    with stage("serving", "Shared 256-d space"):
        embed = catalogue_embedder()
        shards = index_shards()
        encode = query_encoder()

    images >> pretrain >> Edge(label="init") >> teacher
    pairs >> teacher
    teacher >> Edge(label="deploy") >> embed >> Edge(label="catalogue vectors") >> shards
    teacher >> Edge(label="distil") >> student >> Edge(label="deploy") >> encode
    encode >> Edge(label="query vectors", style="dashed") >> shards


@case.diagram("Retrieval funnel", stage="serving")
def funnel():
    with stage("serving", "One query, 250 ms at p95"):
        encode = query_encoder()
        shards = index_shards()
        rescore = rescorer()
        merge = broker()
        rerank = reranker()
        top = Server("Top 50 returned")
    encode >> Edge(label="8 B images") >> shards >> Edge(label="~8 M PQ codes") >> rescore
    rescore >> Edge(label="3,200") >> merge >> Edge(label="filtered top 1,000") >> rerank
    rerank >> top
