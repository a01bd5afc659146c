package dev.exportdesk.engine.delivery;

import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.store.MultipartUploadRepository;
import dev.exportdesk.transfer.UploadJournal;
import java.util.List;
import java.util.Optional;

/** The multipart journal in the state store: each part is committed before the next one is sent. */
final class StoreUploadJournal implements UploadJournal {
    private final EngineContext ctx;

    StoreUploadJournal(EngineContext ctx) {
        this.ctx = ctx;
    }

    private MultipartUploadRepository uploads() {
        return ctx.store().multipartUploads();
    }

    @Override
    public Optional<Upload> find(String destination, String key) {
        return ctx.store().inTransaction(c -> uploads().find(c, destination, key)).map(StoreUploadJournal::upload);
    }

    @Override
    public void begin(String destination, Upload upload) {
        MultipartUploadRepository.Upload row = new MultipartUploadRepository.Upload(upload.key(), upload.uploadId(),
                upload.partSize(), upload.fileSize(), upload.fileSha256(), List.of());
        ctx.store().updateDurably(c -> uploads().begin(c, destination, row, ctx.now()));
    }

    @Override
    public void partDone(String destination, String key, Part part) {
        MultipartUploadRepository.Part row = new MultipartUploadRepository.Part(part.number(), part.etag(),
                part.sha256(), part.size());
        ctx.store().update(c -> uploads().partDone(c, destination, key, row));
    }

    @Override
    public void forget(String destination, String key) {
        ctx.store().update(c -> uploads().forget(c, destination, key));
    }

    @Override
    public List<Upload> all(String destination) {
        return ctx.store().inTransaction(c -> uploads().all(c, destination)).stream().map(StoreUploadJournal::upload)
                .toList();
    }

    private static Upload upload(MultipartUploadRepository.Upload u) {
        return new Upload(u.key(), u.uploadId(), u.partSize(), u.fileSize(), u.fileSha256(), u.parts().stream()
                .map(p -> new Part(p.number(), p.etag(), p.sha256(), p.size())).toList());
    }
}
