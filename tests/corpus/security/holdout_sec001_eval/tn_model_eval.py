import torch


def evaluate(model, loader, device):
    model.eval()
    correct = 0
    total = 0
    with torch.no_grad():
        for images, labels in loader:
            outputs = model(images.to(device))
            predicted = outputs.argmax(dim=1)
            total += labels.size(0)
            correct += (predicted.cpu() == labels).sum().item()
    return correct / max(total, 1)


DEFAULTS = eval("{'lr': 0.001, 'epochs': 10}")
